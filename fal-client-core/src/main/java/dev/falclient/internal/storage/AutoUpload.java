package dev.falclient.internal.storage;

import dev.falclient.internal.json.FalJson;
import dev.falclient.internal.json.FileSlots;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The one way call arguments become a request body (submit, run, subscribe, stream): serialised at once, so that
 * bad arguments throw {@link IllegalArgumentException} before anything happens; every {@code Path}, {@code File} and
 * Spring {@code Resource} found anywhere in them (maps, lists, arrays, records, POJOs, nested) is uploaded when the
 * call is subscribed, in parallel (at most {@code parallelism} at once), and replaced by its URL. Strings, data URLs
 * included, are left alone. With automatic upload off, files are refused.
 */
public final class AutoUpload {

    private final StorageClient storage;
    private final FalJson json;

    public AutoUpload(StorageClient storage, FalJson json) {
        this.storage = storage;
        this.json = json;
    }

    /**
     * Runs {@code call} with the request body of {@code arguments}. Without files, {@code call} gets the body at
     * once (its own eager checks throw as before). With files, {@code call} is first assembled with the placeholder
     * body and discarded, so that its eager checks (endpoint id, options) still throw before any upload; it must
     * therefore be cold (do nothing until subscribed), as every call of the client is.
     */
    public <T> Mono<T> withBody(Object arguments, Function<byte[], Mono<T>> call) {
        Prepared prepared = prepare(arguments);
        if (prepared.files().isEmpty()) {
            return call.apply(prepared.body());
        }
        call.apply(prepared.body());
        return uploaded(prepared).flatMap(call);
    }

    /** {@link #withBody(Object, Function)} for calls that answer with many elements (a streaming run). */
    public <T> Flux<T> withBodyMany(Object arguments, Function<byte[], Flux<T>> call) {
        Prepared prepared = prepare(arguments);
        if (prepared.files().isEmpty()) {
            return call.apply(prepared.body());
        }
        call.apply(prepared.body());
        return uploaded(prepared).flatMapMany(call);
    }

    private record Prepared(byte[] body, FileSlots slots, List<Object> files) {
    }

    private Prepared prepare(Object arguments) {
        if (!storage.settings().autoUpload()) {
            return new Prepared(json.arguments(arguments), null, List.of());
        }
        FileSlots slots = new FileSlots(storage::prepare);
        byte[] body = json.arguments(arguments, slots);
        return new Prepared(body, slots, slots.files());
    }

    private Mono<byte[]> uploaded(Prepared prepared) {
        return Flux.fromIterable(prepared.files())
                .flatMapSequential(file -> storage.upload((UploadRequest) file), storage.settings().parallelism())
                .collectList()
                .map(urls -> json.write(prepared.slots().fill(json.read(prepared.body()), urls)));
    }
}
