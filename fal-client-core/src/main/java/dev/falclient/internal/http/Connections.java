package dev.falclient.internal.http;

import dev.falclient.internal.ClientConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * A client's connections: two Reactor Netty pools, each behind a WebClient built from the configured builder,
 * customizer and connector, a third for realtime WebSockets, and the timer every wait of the client runs on. Status streams hold their connection for
 * a whole wait: in a pool of their own they can never make a submit or a result fetch queue for a connection,
 * however many requests are in flight.
 */
final class Connections implements AutoCloseable {

    private static final boolean MICROMETER = ClassUtils.isPresent("io.micrometer.core.instrument.Metrics",
            Connections.class.getClassLoader());

    private final ClientConfig config;
    private final ConnectionProvider pool;
    private final ConnectionProvider streamPool;
    private final WebClient calls;
    private final WebClient streams;
    private final ConnectionProvider realtimePool;
    private final HttpClient realtime;
    private final Scheduler timer;

    Connections(ClientConfig config) {
        this.config = config;
        this.pool = pool("fal-client", config.pool().maxConnections());
        this.streamPool = pool("fal-client-streams", Math.max(1, config.pool().maxStatusStreams()));
        HttpClient http = httpClient(pool);
        this.timer = timer(http);
        this.calls = webClient(http);
        this.streams = webClient(httpClient(streamPool));
        this.realtimePool = pool("fal-client-realtime", config.pool().maxConnections());
        this.realtime = httpClient(realtimePool);
    }

    /** Submits, runs, polls, result fetches, cancels, uploads. */
    WebClient calls() {
        return calls;
    }

    /** Status streams only. */
    WebClient streams() {
        return streams;
    }

    /** Realtime WebSockets: a socket per connection, held for the connection's life, so in a pool of their own. */
    HttpClient realtime() {
        return realtime;
    }

    /**
     * The clock of every timeout, delay and poll interval of the client: the HTTP client's Netty event loops. An
     * event loop keeps its timers in a queue only it touches, so the thousands of timers that many requests in flight
     * start and cancel cost no lock; Reactor's default timer, a {@code ScheduledThreadPoolExecutor}, takes a lock per
     * timer, and on a busy machine its holder being descheduled stalls every event loop queued behind it.
     */
    Scheduler timer() {
        return timer;
    }

    private ConnectionProvider pool(String name, int maxConnections) {
        return ConnectionProvider.builder(name)
                .maxConnections(maxConnections)
                .pendingAcquireMaxCount(config.pool().pendingAcquireMaxCount())
                .pendingAcquireTimeout(config.pool().pendingAcquireTimeout())
                // below typical load-balancer idle timeouts, so a pooled connection is never reused after the
                // other side silently dropped it
                .maxIdleTime(Duration.ofSeconds(30))
                .evictInBackground(Duration.ofSeconds(30))
                // Reactor Netty refuses metrics without Micrometer
                .metrics(config.pool().metrics() && MICROMETER)
                .build();
    }

    private HttpClient httpClient(ConnectionProvider connections) {
        return config.httpClientCustomizer().apply(HttpClient.create(connections)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.http().connectTimeout().toMillis())
                .responseTimeout(config.http().responseTimeout()));
    }

    private WebClient webClient(HttpClient http) {
        return config.webClientBuilder().clone()
                .clientConnector(config.connectorFactory().apply(http))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(config.http().maxInMemorySize()))
                .build();
    }

    private static Scheduler timer(HttpClient http) {
        LoopResources loops = http.configuration().loopResources();
        EventLoopGroup group = (loops != null ? loops : HttpResources.get()).onClient(LoopResources.DEFAULT_NATIVE);
        return Schedulers.fromExecutorService(group, "fal-timer");
    }

    @Override
    public void close() {
        pool.dispose();
        streamPool.dispose();
        realtimePool.dispose();
    }
}
