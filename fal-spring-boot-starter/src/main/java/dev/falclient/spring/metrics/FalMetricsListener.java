package dev.falclient.spring.metrics;

import dev.falclient.Completed;
import dev.falclient.EndpointId;
import dev.falclient.FalException;
import dev.falclient.FalRequest;
import dev.falclient.FalRequestListener;
import dev.falclient.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Records fal request lifecycles as Micrometer meters. Every meter carries only low-cardinality tags: the
 * {@value #ENDPOINT} tag is the endpoint's app id ({@code fal-ai/flux} for {@code fal-ai/flux/dev}), never the
 * request id, the sub-path or any input.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Meter</th><th>Type</th><th>Tags</th><th>Recorded</th></tr>
 *   <tr><td>{@value #SUBMITTED}</td><td>counter</td><td>endpoint</td><td>fal accepted a queue submit</td></tr>
 *   <tr><td>{@value #COMPLETED}</td><td>counter</td><td>endpoint, outcome ({@code success}, {@code error}),
 *       error.type (fal's error type, {@code none} on success, {@code unknown} when fal gave none)</td>
 *       <td>fal reported {@code COMPLETED}</td></tr>
 *   <tr><td>{@value #INFERENCE}</td><td>timer</td><td>endpoint</td><td>fal's {@code inference_time} metric of a
 *       completed request, when fal sent one</td></tr>
 *   <tr><td>{@value #FAILED}</td><td>counter</td><td>endpoint, exception (simple class name)</td><td>a call about
 *       the request failed</td></tr>
 *   <tr><td>{@value #CANCELLED}</td><td>counter</td><td>endpoint</td><td>fal accepted a cancel</td></tr>
 * </table>
 *
 * <p>Like every listener, it counts what the client observes: a plain submit that nobody waits on counts only as
 * submitted. Callbacks run on the client's listener threads, never on a Netty event loop. Subclass and override
 * {@link #endpoint(FalRequest)} to tag differently; register the subclass as a bean to replace this one.
 */
public class FalMetricsListener implements FalRequestListener {

    /** Counter of accepted submits. */
    public static final String SUBMITTED = "fal.requests.submitted";
    /** Counter of requests fal reported as completed (including those fal completed with an error). */
    public static final String COMPLETED = "fal.requests.completed";
    /** Timer of fal's reported inference time. */
    public static final String INFERENCE = "fal.requests.inference";
    /** Counter of failed calls about a request. */
    public static final String FAILED = "fal.requests.failed";
    /** Counter of accepted cancels. */
    public static final String CANCELLED = "fal.requests.cancelled";

    /** Tag: the endpoint's app id, {@code [namespace/]owner/alias}. */
    public static final String ENDPOINT = "endpoint";
    /** Tag of {@value #COMPLETED}: {@code success} or {@code error}. */
    public static final String OUTCOME = "outcome";
    /** Tag of {@value #COMPLETED}: fal's error type, {@code none} on success. */
    public static final String ERROR_TYPE = "error.type";
    /** Tag of {@value #FAILED}: the simple class name of the {@link FalException}. */
    public static final String EXCEPTION = "exception";

    static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;

    public FalMetricsListener(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void onSubmitted(FalRequest request) {
        counter(SUBMITTED, "fal queue submits accepted by fal", request).increment();
    }

    @Override
    public void onStatusChanged(FalRequest request, Status status) {
        if (!(status instanceof Completed)) {
            return;
        }
        Completed completed = (Completed) status;
        String errorType = completed.failed()
                ? (completed.errorType() == null || completed.errorType().isBlank() ? UNKNOWN : completed.errorType())
                : "none";
        counter(COMPLETED, "fal requests observed as completed, by outcome", request,
                OUTCOME, completed.failed() ? "error" : "success", ERROR_TYPE, errorType).increment();
        Duration inference = seconds(completed.metrics().get("inference_time"));
        if (inference != null) {
            Timer.builder(INFERENCE)
                    .description("Inference time fal reported for completed requests")
                    .tag(ENDPOINT, endpoint(request))
                    .register(registry)
                    .record(inference);
        }
    }

    @Override
    public void onFailed(FalRequest request, FalException error) {
        counter(FAILED, "Calls about fal requests that failed", request, EXCEPTION, exceptionName(error))
                .increment();
    }

    @Override
    public void onCancelled(FalRequest request) {
        counter(CANCELLED, "fal requests whose cancel fal accepted", request).increment();
    }

    /**
     * The {@value #ENDPOINT} tag of a request: the app id without sub-path ({@code fal-ai/flux} for
     * {@code fal-ai/flux/dev}), or {@code unknown} for an id that does not parse. Endpoint ids are chosen by the
     * application, so the number of values is the number of fal apps it calls.
     */
    protected String endpoint(FalRequest request) {
        try {
            return EndpointId.parse(request.endpointId()).appId();
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    private Counter counter(String name, String description, FalRequest request, String... tags) {
        return Counter.builder(name).description(description)
                .tag(ENDPOINT, endpoint(request))
                .tags(tags)
                .register(registry);
    }

    private static String exceptionName(@Nullable FalException error) {
        if (error == null) {
            return UNKNOWN;
        }
        String simple = error.getClass().getSimpleName();
        return simple.isEmpty() ? error.getClass().getName() : simple;
    }

    /** fal's {@code inference_time}: seconds as a number; anything else (absent, negative, not finite) is ignored. */
    private static @Nullable Duration seconds(@Nullable Object value) {
        if (!(value instanceof Number)) {
            return null;
        }
        double seconds = ((Number) value).doubleValue();
        if (!Double.isFinite(seconds) || seconds < 0) {
            return null;
        }
        return Duration.ofNanos(Math.round(seconds * 1_000_000_000d));
    }
}
