package dev.falclient.internal.http;

import dev.falclient.FalException;
import dev.falclient.FalHttpException;
import dev.falclient.settings.RetrySettings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Every retry rule of the client. Status, result and cancel calls are idempotent; a submit or run POST is retried
 * only when fal provably never saw it (no connection, a 429, or a gateway 503 without a fal request id), because fal
 * may otherwise run, and bill, it twice. The two Reactor specs are built once per client.
 */
final class RetryPolicy {

    private static final Logger log = LoggerFactory.getLogger(RetryPolicy.class);

    private final RetrySettings settings;
    private final Retry forSubmits;
    private final Retry forOthers;

    RetryPolicy(RetrySettings settings) {
        this.settings = settings;
        this.forSubmits = spec(true);
        this.forOthers = spec(false);
    }

    Retry forCall(HttpCall call) {
        return call.isSubmit() ? forSubmits : forOthers;
    }

    private Retry spec(boolean submit) {
        if (settings.maxAttempts() <= 1) {
            // without this, Reactor wraps the one failure in a RetryExhaustedException
            return Retry.max(0).onRetryExhaustedThrow((spec, signal) -> signal.failure());
        }
        return Retry.backoff(settings.maxAttempts() - 1, settings.initialBackoff())
                .maxBackoff(settings.maxBackoff())
                .jitter(settings.jitter())
                .filter(e -> shouldRetry(e, submit))
                .doBeforeRetryAsync(signal -> retryAfter(signal.failure())
                        .map(delay -> Mono.delay(delay).then())
                        .orElse(Mono.empty()))
                .doBeforeRetry(signal -> log.debug("Retrying a fal call (attempt {} failed: {})", signal.totalRetries() + 1,
                        signal.failure().toString()))
                .onRetryExhaustedThrow((spec, signal) -> signal.failure());
    }

    boolean shouldRetry(Throwable error, boolean submit) {
        if (error instanceof FalHttpException http) {
            return shouldRetry(http, submit);
        }
        if (error instanceof FalException) {
            return false;
        }
        if (neverSent(error)) {
            return true;
        }
        return isTransport(error) && (!submit || settings.retryAmbiguousSubmits());
    }

    private boolean shouldRetry(FalHttpException error, boolean submit) {
        int status = error.statusCode();
        if (error.isUserTimeout()) {
            return false;
        }
        if (status == 429) {
            return true;
        }
        boolean ingress = isIngress(error);
        if (!submit) {
            return status == 408 || status == 409 || ingress && (status == 502 || status == 503 || status == 504);
        }
        if (ingress && status == 503) {
            return true;
        }
        return settings.retryAmbiguousSubmits() && ingress && (status == 502 || status == 504);
    }

    /** A 5xx that came from the ingress (nginx, load balancer) rather than from fal: it has no fal request id. */
    static boolean isIngress(FalHttpException error) {
        return error.header("x-fal-request-id").isEmpty();
    }

    /** The call failed before any byte could have reached fal. */
    static boolean neverSent(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            // Reactor Netty's pool exceptions live in a shaded internal package: match them by name
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t.getClass().getSimpleName().startsWith("PoolAcquire")) {
                return true;
            }
        }
        return false;
    }

    /** A network-level failure (connection reset or closed early, read timeout). */
    static boolean isTransport(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof io.netty.handler.timeout.TimeoutException
                    || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The server's {@code Retry-After}, capped. */
    private Optional<Duration> retryAfter(Throwable error) {
        if (!(error instanceof FalHttpException http)) {
            return Optional.empty();
        }
        Duration cap = settings.maxRetryAfter();
        return http.header("Retry-After").flatMap(RetryPolicy::parseRetryAfter)
                .map(d -> d.compareTo(cap) > 0 ? cap : d);
    }

    /** {@code Retry-After} as seconds or an HTTP date. */
    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
