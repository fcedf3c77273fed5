package dev.falclient.spring.metrics;

import dev.falclient.AsyncFalClient;
import dev.falclient.FalClientStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Binds a fal client's HTTP call statistics ({@link AsyncFalClient#stats()}) to Micrometer, read when the registry
 * is scraped:
 *
 * <ul>
 *   <li>{@value #IN_FLIGHT}: gauge of HTTP calls currently running ({@link FalClientStats#inFlight()});</li>
 *   <li>{@value #CALLS}: function counter of finished HTTP calls, tag {@code outcome} = {@code success}
 *   ({@link FalClientStats#succeeded()}) or {@code failure} ({@link FalClientStats#failed()}, after retries).</li>
 * </ul>
 *
 * <p>These count every HTTP call of the client (submit, status, result, cancel, run, ...), not requests.
 */
public class FalClientMetrics implements MeterBinder {

    /** Gauge of HTTP calls currently running. */
    public static final String IN_FLIGHT = "fal.client.calls.in.flight";
    /** Function counter of finished HTTP calls, by outcome. */
    public static final String CALLS = "fal.client.calls";

    private final AsyncFalClient client;

    public FalClientMetrics(AsyncFalClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(IN_FLIGHT, client, c -> c.stats().inFlight())
                .description("HTTP calls of the fal client currently running")
                .register(registry);
        FunctionCounter.builder(CALLS, client, c -> c.stats().succeeded())
                .description("Finished HTTP calls of the fal client, by outcome")
                .tag("outcome", "success")
                .register(registry);
        FunctionCounter.builder(CALLS, client, c -> c.stats().failed())
                .description("Finished HTTP calls of the fal client, by outcome")
                .tag("outcome", "failure")
                .register(registry);
    }
}
