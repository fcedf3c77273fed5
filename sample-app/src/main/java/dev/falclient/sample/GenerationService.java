package dev.falclient.sample;

import dev.falclient.AsyncFalClient;
import dev.falclient.AsyncRequestHandle;
import dev.falclient.Completed;
import dev.falclient.FalHttpException;
import dev.falclient.SubmitOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The sample's use of the fal client: submits generations with background tracking (so the starter publishes their
 * events without any polling code here), asks fal for status and results, cancels, and serves the event streams.
 * Uses the injected {@link AsyncFalClient}, since this is a WebFlux application: nothing here blocks a thread.
 */
@Service
public class GenerationService {

    /** Longest prompt accepted. */
    static final int MAX_PROMPT_LENGTH = 2_000;

    /** Track every submit: the client watches it until it completes, fetches its result and publishes events. */
    private static final SubmitOptions TRACKED = SubmitOptions.builder().track(true).build();

    /** Watch nothing: fal's webhook (to {@code fal.webhook.url}) brings the outcome, on whichever instance. */
    private static final SubmitOptions BY_WEBHOOK = SubmitOptions.builder().track(false).build();

    private final AsyncFalClient fal;
    private final GenerationEventStore store;
    private final SampleProperties properties;
    private final ImageLinks images;

    public GenerationService(AsyncFalClient fal, GenerationEventStore store, SampleProperties properties,
                             ImageLinks images) {
        this.fal = fal;
        this.store = store;
        this.properties = properties;
        this.images = images;
    }

    /** What {@code POST /generations} answers. */
    public record Submitted(String requestId, String endpointId) {
    }

    /** Submits a prompt to {@code sample.endpoint-id} for {@code owner} (a browser session). */
    public Mono<Submitted> submit(String prompt, String owner) {
        return submit(prompt, owner,
                properties.completion() == SampleProperties.Completion.WEBHOOK ? BY_WEBHOOK : TRACKED);
    }

    /**
     * Submits without tracking or admission, for nobody (the demo's queue fillers): nothing watches them, so they
     * cost no status load, and no caller can see them.
     */
    Mono<Submitted> submitUntracked(String prompt) {
        return validated(prompt).then(fal.submit(properties.endpointId(), Map.of("prompt", prompt.strip()),
                        SubmitOptions.builder().track(false).build())
                .map(handle -> new Submitted(handle.requestId(), handle.endpointId())));
    }

    private static Mono<Void> validated(String prompt) {
        if (prompt == null || prompt.isBlank()) {
            return Mono.error(new GenerationErrors.InvalidGeneration("'prompt' must not be blank"));
        }
        if (prompt.length() > MAX_PROMPT_LENGTH) {
            return Mono.error(new GenerationErrors.InvalidGeneration(
                    "'prompt' must be at most " + MAX_PROMPT_LENGTH + " characters, was " + prompt.length()));
        }
        return Mono.empty();
    }

    private Mono<Submitted> submit(String prompt, String owner, SubmitOptions options) {
        return validated(prompt).then(Mono.using(() -> store.admit(owner, properties.limits()),
                admission -> fal.submit(properties.endpointId(), Map.of("prompt", prompt.strip()), options)
                        .map(handle -> {
                            store.register(handle.requestId(), handle.endpointId(), owner);
                            return new Submitted(handle.requestId(), handle.endpointId());
                        }),
                GenerationEventStore.Admission::close));
    }

    /** fal's current status, with its log window. */
    public Mono<GenerationStatus> status(String requestId, String owner) {
        String endpointId = endpointOf(requestId, owner);
        return fal.status(endpointId, requestId, true)
                .map(status -> GenerationStatus.of(requestId, endpointId, status, store.isCancelled(requestId)))
                .onErrorMap(GenerationService::isNotFound, e -> notFound(requestId));
    }

    /**
     * The output of a completed generation. Never waits: a generation that is still queued or running fails with
     * {@link GenerationErrors.GenerationNotCompleted} (409), a cancelled one too, a failed one with
     * {@link GenerationErrors.GenerationFailed} (502).
     */
    public Mono<JsonNode> result(String requestId, String owner) {
        String endpointId = endpointOf(requestId, owner);
        AsyncRequestHandle handle = fal.handle(endpointId, requestId);
        return handle.status(false)
                .onErrorMap(GenerationService::isNotFound, e -> notFound(requestId))
                .flatMap(status -> {
                    GenerationStatus view = GenerationStatus.of(requestId, endpointId, status,
                            store.isCancelled(requestId));
                    if (!(status instanceof Completed completed)) {
                        return Mono.error(new GenerationErrors.GenerationNotCompleted("Generation " + requestId
                                + " is " + view.status() + (view.position() != null ? " at queue position "
                                + view.position() : "") + "; its result is available once it completed", view));
                    }
                    if (view.cancelled()) {
                        return Mono.error(new GenerationErrors.GenerationNotCompleted(
                                "Generation " + requestId + " was cancelled; it has no result", view));
                    }
                    if (completed.failed()) {
                        return Mono.error(new GenerationErrors.GenerationFailed("Generation " + requestId
                                + " failed (" + completed.errorType() + ")", view));
                    }
                    return handle.get().map(images::linked);
                });
    }

    /** Asks fal to cancel; a generation that already completed stays as it is. */
    public Mono<Void> cancel(String requestId, String owner) {
        return fal.cancel(endpointOf(requestId, owner), requestId)
                .onErrorMap(GenerationService::isNotFound, e -> notFound(requestId));
    }

    /**
     * The generation's events as SSE: the ones kept so far (after {@code lastEventId}), then live ones, with
     * keep-alive comments in between; completes after the terminal event.
     */
    public Flux<ServerSentEvent<GenerationEvent>> events(String requestId, String owner, long lastEventId) {
        Optional<Flux<GenerationEvent>> events = store.ownedBy(requestId, owner) ? store.events(requestId)
                : Optional.empty();
        if (events.isEmpty()) {
            throw new GenerationErrors.GenerationNotFound("No events for generation " + requestId
                    + ": it was not submitted through this application, or it finished more than "
                    + human(properties.events().retention()) + " ago (GET /generations/" + requestId
                    + " still asks fal for its status)");
        }
        Flux<ServerSentEvent<GenerationEvent>> data = events.get()
                .filter(e -> e.id() > lastEventId)
                .map(this::forCallers)
                .map(e -> ServerSentEvent.builder(e).id(Long.toString(e.id())).event(e.type()).build());
        Duration heartbeat = properties.events().heartbeat();
        Flux<ServerSentEvent<GenerationEvent>> keepAlive = Flux.interval(heartbeat, heartbeat)
                .map(tick -> ServerSentEvent.<GenerationEvent>builder().comment("keep-alive").build());
        return data.publish(shared -> Flux.merge(shared, keepAlive.takeUntilOther(shared.then())))
                .take(properties.events().maxStreamDuration());
    }

    /**
     * The endpoint of a generation {@code owner} submitted through this app; any other id is "not found", so a
     * caller learns nothing about other callers' generations.
     */
    private String endpointOf(String requestId, String owner) {
        if (requestId == null || !requestId.matches("[A-Za-z0-9._-]{1,128}") || !store.ownedBy(requestId, owner)) {
            throw new GenerationErrors.GenerationNotFound("No generation " + requestId + " of yours is known here "
                    + "(generations are visible to the browser that made them, for "
                    + human(properties.events().retention()) + " after they end)");
        }
        return store.endpointOf(requestId).orElse(properties.endpointId());
    }

    /**
     * An event as callers see it: images through the app's origin ({@link ImageLinks}), and no error text from fal
     * or the client (which may name upstream URLs), only its type; the detail is in the server's log.
     */
    private GenerationEvent forCallers(GenerationEvent event) {
        GenerationEvent out = event;
        if (event.imageUrl() != null || event.result() != null) {
            out = out.withResult(images.linked(event.result()), images.link(event.imageUrl()));
        }
        if (event.error() != null) {
            out = out.withError(GENERIC_FAILURE + event.requestId(), event.errorType());
        }
        return out;
    }

    /** What callers see instead of an error's text. */
    static final String GENERIC_FAILURE = "The generation did not succeed; reference ";

    /** {@code 10m}, {@code 90s}, {@code 2h}: the way the property is written. */
    static String human(Duration d) {
        if (d.toMillis() % 3_600_000 == 0) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() + "m";
        }
        if (d.toMillis() % 1_000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }

    private static boolean isNotFound(Throwable e) {
        return e instanceof FalHttpException http && http.statusCode() == 404;
    }

    private static GenerationErrors.GenerationNotFound notFound(String requestId) {
        return new GenerationErrors.GenerationNotFound("fal does not know generation " + requestId);
    }
}
