package dev.falclient.bench;

import dev.falclient.AsyncFalClient;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Uploads one large file through {@code fal.storage().upload(Path)} in parts, once with parts in parallel and once
 * one at a time, and reports throughput and the peak heap used while uploading. The storage is a local sink that
 * speaks fal's CDN v3 protocol (token, multipart start, parts with ETags, completion) and counts the bytes it is
 * sent without keeping them, so the heap measured is the client's.
 *
 * <pre>
 * ./mvnw -q -Pbenchmarks -pl fal-benchmarks -am package -DskipTests
 * java -Xmx256m -jar fal-benchmarks/target/benchmarks.jar upload --size-mb 1024 --part-mb 10 --parallelism 10
 * </pre>
 *
 * The file is written to a temporary directory first (or given with {@code --file}) and deleted afterwards.
 */
public final class UploadBenchmark {

    private static final long MB = 1024 * 1024;

    private UploadBenchmark() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("size-mb", "part-mb", "parallelism", "file"));
        int sizeMb = args.integer("size-mb", 1024, 1);
        int partMb = args.integer("part-mb", 10, 1);
        int parallelism = args.integer("parallelism", 10, 1);
        String given = args.string("file", null);
        Path file = given != null ? Path.of(given) : write(sizeMb);
        long size = Files.size(file);
        AtomicLong received = new AtomicLong();
        DisposableServer sink = sink(received);
        try {
            // JIT warm-up, so that the first measured mode is not the slower for it
            Path warmUp = write(Math.min(32, sizeMb));
            try (AsyncFalClient fal = client(sink, partMb, parallelism)) {
                fal.storage().upload(warmUp).block(Duration.ofMinutes(5));
            } finally {
                Files.deleteIfExists(warmUp);
            }
            System.out.printf("file=%s size=%dMB part=%dMB maxHeap=%dMB%n", file.getFileName(), size / MB, partMb,
                    Runtime.getRuntime().maxMemory() / MB);
            System.out.printf("%-12s %11s %10s %12s %14s %14s%n", "mode", "parallelism", "wall", "throughput",
                    "peakHeapUsed", "heapBefore");
            run("parallel", parallelism, partMb, file, size, sink, received);
            run("sequential", 1, partMb, file, size, sink, received);
        } finally {
            sink.disposeNow(Duration.ofSeconds(5));
            if (given == null) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void run(String mode, int parallelism, int partMb, Path file, long size, DisposableServer sink,
                            AtomicLong received) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (AsyncFalClient fal = client(sink, partMb, parallelism)) {
            System.gc();
            long base = memory.getHeapMemoryUsage().getUsed();
            received.set(0);
            AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
            var sampler = Flux.interval(Duration.ofMillis(20), Schedulers.single())
                    .subscribe(t -> peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max));
            long start = System.nanoTime();
            String url = fal.storage().upload(file).block(Duration.ofHours(1));
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            sampler.dispose();
            if (received.get() != size || url == null) {
                throw new IllegalStateException(mode + ": the sink received " + received.get() + " of " + size
                        + " bytes");
            }
            System.out.printf("%-12s %11d %9.1fs %9.0fMB/s %12dMB %12dMB%n", mode, parallelism,
                    wall.toMillis() / 1000.0, size / (double) MB / Math.max(0.001, wall.toMillis() / 1000.0),
                    peak.get() / MB, base / MB);
        }
    }

    private static AsyncFalClient client(DisposableServer sink, int partMb, int parallelism) {
        String base = "http://127.0.0.1:" + sink.port();
        return AsyncFalClient.builder().key("bench").restUrl(base + "/rest").cdnUrl(base + "/cdn")
                .multipartThreshold(1).partSize(Math.toIntExact(partMb * MB)).uploadParallelism(parallelism)
                .build();
    }

    /** fal's CDN v3 protocol, counting part bytes and keeping none. */
    private static DisposableServer sink(AtomicLong received) {
        java.util.concurrent.atomic.AtomicInteger port = new java.util.concurrent.atomic.AtomicInteger();
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0).route(routes -> routes
                .post("/rest/storage/auth/token", (req, res) -> res.header("Content-Type", "application/json")
                        .sendString(Mono.just("{\"token\":\"t\",\"token_type\":\"Bearer\",\"expires_at\":\""
                                + Instant.now().plus(Duration.ofHours(2)) + "\"}")))
                .post("/cdn/files/upload/multipart", (req, res) -> res.header("Content-Type", "application/json")
                        .sendString(Mono.just("{\"access_url\":\"http://127.0.0.1:" + port.get()
                                + "/cdn/files/f/big.bin\",\"uploadId\":\"u\"}")))
                .put("/cdn/files/f/big.bin/multipart/u/{n}", (req, res) -> req.receive()
                        .doOnNext(buf -> received.addAndGet(buf.readableBytes())).then()
                        .then(res.header("ETag", "\"" + req.param("n") + "\"").send()))
                .post("/cdn/files/f/big.bin/multipart/u/complete", (req, res) -> req.receive().then()
                        .then(res.header("Content-Type", "application/json").sendString(Mono.just("{}")).then())))
                .bindNow(Duration.ofSeconds(10));
        port.set(server.port());
        return server;
    }

    private static Path write(int sizeMb) throws IOException {
        Path file = Files.createTempFile("fal-upload-bench", ".bin");
        byte[] chunk = new byte[(int) MB];
        new Random(42).nextBytes(chunk);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < sizeMb; i++) {
                out.write(chunk);
            }
        }
        return file;
    }
}
