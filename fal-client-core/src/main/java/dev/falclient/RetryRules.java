package dev.falclient;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Which failures are worth another attempt. The rules differ by method: status, result and cancel calls are
 * idempotent; a submit or run POST is retried only when fal provably never saw it (no connection, a 429, or a
 * gateway 503 without a fal request id), because fal may otherwise run — and bill — it twice.
 */
final class RetryRules {

    private RetryRules() {
    }

    static boolean shouldRetry(Throwable error, boolean post, boolean retryAmbiguousPosts) {
        if (error instanceof FalHttpException http) {
            return shouldRetry(http, post, retryAmbiguousPosts);
        }
        if (error instanceof FalException) {
            return false;
        }
        if (neverSent(error)) {
            return true;
        }
        return isTransport(error) && (!post || retryAmbiguousPosts);
    }

    private static boolean shouldRetry(FalHttpException error, boolean post, boolean retryAmbiguousPosts) {
        int status = error.statusCode();
        if (error.isUserTimeout()) {
            return false;
        }
        if (status == 429) {
            return true;
        }
        boolean ingress = isIngress(error);
        if (!post) {
            return status == 408 || status == 409 || ingress && (status == 502 || status == 503 || status == 504);
        }
        if (ingress && status == 503) {
            return true;
        }
        return retryAmbiguousPosts && ingress && (status == 502 || status == 504);
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

    /** The server's {@code Retry-After} (seconds or an HTTP date), capped. */
    static Optional<Duration> retryAfter(Throwable error, Duration cap) {
        if (!(error instanceof FalHttpException http)) {
            return Optional.empty();
        }
        return http.header("Retry-After").flatMap(RetryRules::parseRetryAfter)
                .map(d -> d.compareTo(cap) > 0 ? cap : d);
    }

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
