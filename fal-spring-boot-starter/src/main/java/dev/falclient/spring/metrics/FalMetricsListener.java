package dev.falclient.spring.metrics;

import dev.falclient.Completed;
import dev.falclient.EndpointId;
import dev.falclient.FalRequest;
import dev.falclient.FalRequestListener;
import dev.falclient.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Records what fal itself measures about completed requests: the {@value #INFERENCE} timer of fal's
 * {@code inference_time} (model run time, without queueing), tag {@value #ENDPOINT} = the endpoint's app id
 * ({@code fal-ai/flux} for {@code fal-ai/flux/dev}), never the request id, the sub-path or any input.
 *
 * <p>The request counters this listener used to record ({@code fal.requests.submitted}, {@code .completed},
 * {@code .failed}, {@code .cancelled}) are replaced by the {@code fal.request} observation
 * ({@link dev.falclient.observation.FalRequestObservationDocumentation}): its timer counts and times every request
 * by {@code fal.endpoint}, {@code fal.outcome} and {@code error}, and {@code fal.request.active} shows the requests
 * in flight.
 *
 * <p>Like every listener, it sees what the client observes, on the client's listener threads, never on a Netty event
 * loop. Subclass and override {@link #endpoint(FalRequest)} to tag differently; register the subclass as a bean to
 * replace this one.
 */
public class FalMetricsListener implements FalRequestListener {

    /** Timer of fal's reported inference time. */
    public static final String INFERENCE = "fal.requests.inference";

    /** Tag: the endpoint's app id, {@code [namespace/]owner/alias}. */
    public static final String ENDPOINT = "endpoint";

    static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;

    public FalMetricsListener(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void onStatusChanged(FalRequest request, Status status) {
        if (!(status instanceof Completed completed)) {
            return;
        }
        Duration inference = seconds(completed.metrics().get("inference_time"));
        if (inference != null) {
            Timer.builder(INFERENCE)
                    .description("Inference time fal reported for completed requests")
                    .tag(ENDPOINT, endpoint(request))
                    .register(registry)
                    .record(inference);
        }
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
