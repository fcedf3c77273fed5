package dev.falclient.internal.http;

import dev.falclient.FalException;
import dev.falclient.FalHttpException;
import dev.falclient.settings.RetrySettings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.ContextView;
import reactor.util.retry.Retry;

/**
 * Every retry rule of the client. Status, result and cancel calls are idempotent; a submit or run POST is retried
 * only when fal provably never saw it (no connection, a 429, or a gateway 503 without a fal request id), because fal
 * may otherwise run, and bill, it twice. The server's {@code Retry-After} replaces the backoff delay; one longer than
 * the cap, or than what is left of the call's deadline, ends the call at once so that the caller decides. The two
 * specs are built once per client; the deadline travels in the subscriber context.
 */
final class RetryPolicy {

    /** Context key of the call's deadline, in {@link System#nanoTime()} units. */
    static final String DEADLINE = RetryPolicy.class.getName() + ".deadline";

    private static final Logger log = LoggerFactory.getLogger(RetryPolicy.class);

    private final RetrySettings settings;
    private final Scheduler timer;
    private final Retry forSubmits;
    private final Retry forOthers;
    private final Retry forUploads;

    RetryPolicy(RetrySettings settings, Scheduler timer) {
        this.settings = settings;
        this.timer = timer;
        this.forSubmits = spec(failure -> shouldRetry(failure, true));
        this.forOthers = spec(failure -> shouldRetry(failure, false));
        this.forUploads = spec(RetryPolicy::shouldRetryUpload);
    }

    Retry forCall(HttpCall call) {
        return call.kind() == HttpCall.Kind.UPLOAD ? forUploads : call.isSubmit() ? forSubmits : forOthers;
    }

    private Retry spec(Predicate<Throwable> retryable) {
        return Retry.from(signals -> signals.concatMap(signal -> Mono.deferContextual(context ->
                next(signal.failure(), signal.totalRetries(), retryable, context))));
    }

    /** The delay before the next attempt, or the failure itself when there is none. */
    private Mono<Long> next(Throwable failure, long retriesSoFar, Predicate<Throwable> retryable,
                            ContextView context) {
        if (retriesSoFar + 1 >= settings.maxAttempts() || !retryable.test(failure)) {
            return Mono.error(failure);
        }
        Duration left = Duration.ofNanos(context.<Long>getOrDefault(DEADLINE, Long.MAX_VALUE) - System.nanoTime());
        Optional<Duration> retryAfter = retryAfter(failure);
        if (retryAfter.isPresent()
                && (retryAfter.get().compareTo(settings.maxRetryAfter()) > 0 || retryAfter.get().compareTo(left) > 0)) {
            log.debug("Not retrying: Retry-After {} exceeds the cap {} or the {} left", retryAfter.get(),
                    settings.maxRetryAfter(), left);
            return Mono.error(failure);
        }
        Duration delay = retryAfter.orElseGet(() -> backoff(retriesSoFar));
        if (delay.compareTo(left) >= 0) {
            return Mono.error(failure);
        }
        log.debug("Retrying a fal call in {} (attempt {} failed: {})", delay, retriesSoFar + 1, failure.toString());
        return Mono.delay(delay, timer);
    }

    /** Exponential backoff from the initial delay, capped, with random jitter of up to ± jitter × delay. */
    private Duration backoff(long retriesSoFar) {
        long base = settings.initialBackoff().toNanos() << Math.min(retriesSoFar, 30);
        long capped = Math.min(base < 0 ? Long.MAX_VALUE : base, settings.maxBackoff().toNanos());
        double factor = 1 + settings.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Duration.ofNanos(Math.max(0, Math.min((long) (capped * factor), settings.maxBackoff().toNanos())));
    }

    boolean shouldRetry(Throwable error, boolean submit) {
        if (error instanceof UnreadableReply) {
            // a GET answered with a truncated or malformed body is safe to repeat; a submit reached fal
            return !submit;
        }
        if (error instanceof FalHttpException http) {
            return shouldRetry(http, submit);
        }
        if (error instanceof FalException || error instanceof ClientClosedException) {
            return false;
        }
        if (neverSent(error)) {
            return true;
        }
        return isTransport(error) && (!submit || settings.retryAmbiguousSubmits());
    }

    /**
     * A storage host's call (a part, a pre-signed PUT) only stores bytes under a name: repeating it is harmless, so
     * every 5xx, 408 and 429 and every network failure is retried. A 401 is not: the caller refreshes its token.
     */
    static boolean shouldRetryUpload(Throwable error) {
        if (error instanceof UnreadableReply) {
            return true;
        }
        if (error instanceof FalHttpException http) {
            int status = http.statusCode();
            return status >= 500 || status == 408 || status == 429;
        }
        if (error instanceof FalException || error instanceof ClientClosedException) {
            return false;
        }
        return neverSent(error) || isTransport(error);
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

    private static Optional<Duration> retryAfter(Throwable error) {
        return error instanceof FalHttpException http
                ? http.header(HttpHeaders.RETRY_AFTER).flatMap(RetryPolicy::parseRetryAfter) : Optional.empty();
    }

    /** {@code Retry-After} as delta-seconds or any HTTP-date form (RFC 1123, RFC 850, asctime). */
    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, v);
            try {
                Duration d = Duration.between(ZonedDateTime.now(), headers.getFirstZonedDateTime(HttpHeaders.RETRY_AFTER));
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (IllegalArgumentException notADate) {
                return Optional.empty();
            }
        }
    }
}
