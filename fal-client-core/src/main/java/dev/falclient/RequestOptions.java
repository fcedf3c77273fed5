package dev.falclient;

import dev.falclient.internal.queue.CallOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What every fal call may carry: extra headers, a runner hint, a server start timeout and a sub-path. The builders
 * here are shared by {@link SubmitOptions}, {@link RunOptions} and {@link SubscribeOptions}.
 */
final class RequestOptions {

    private static final Duration MIN_START_TIMEOUT = Duration.ofSeconds(1);

    private RequestOptions() {
    }

    /** Adds a caller-given header after checking it (shared by per-call options and client defaults). */
    static void putHeader(Map<String, String> headers, String name, String value) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("header name must not be blank");
        }
        headers.put(name, Objects.requireNonNull(value, () -> "value of header " + name));
    }

    /**
     * Fluent setters shared by the option builders.
     *
     * @param <B> the concrete builder
     */
    abstract static class Builder<B extends Builder<B>> {
        final Map<String, String> headers = new LinkedHashMap<>();
        @Nullable String hint;
        @Nullable Duration startTimeout;
        @Nullable String path;
        @Nullable Priority priority;
        @Nullable String webhookUrl;

        abstract B self();

        /** Runner affinity hint, sent as {@code X-Fal-Runner-Hint} (best effort on fal's side). */
        public B hint(@Nullable String hint) {
            this.hint = hint;
            return self();
        }

        /**
         * Server-side start timeout, sent as {@code X-Fal-Request-Timeout}: how long fal may try to get the request
         * started (queue wait included). Must be longer than one second.
         */
        public B startTimeout(@Nullable Duration startTimeout) {
            if (startTimeout != null && startTimeout.compareTo(MIN_START_TIMEOUT) <= 0) {
                throw new IllegalArgumentException("startTimeout must be longer than 1 second, was " + startTimeout);
            }
            this.startTimeout = startTimeout;
            return self();
        }

        /** An extra request header, e.g. {@code X-Fal-Store-IO: 0} or {@code X-Fal-No-Retry: 1}. */
        public B header(String name, String value) {
            putHeader(headers, name, value);
            return self();
        }

        /**
         * A path appended to the endpoint id on submit or run, e.g. {@code "image-to-image"}.
         *
         * @throws IllegalArgumentException if it has a {@code .} or {@code ..} segment
         */
        public B path(@Nullable String path) {
            EndpointId.rejectDotSegments(path, "path");
            this.path = path;
            return self();
        }

        CallOptions common() {
            return common(null);
        }

        /**
         * The options, sending {@code clientDeadline} as the start timeout when none is set and it is longer than
         * fal's minimum (a client that stops waiting has no use for a request that starts later).
         */
        CallOptions common(@Nullable Duration clientDeadline) {
            Duration start = startTimeout != null || clientDeadline == null
                    || clientDeadline.compareTo(MIN_START_TIMEOUT) <= 0 ? startTimeout : clientDeadline;
            return new CallOptions(headers, hint, start, path, priority, webhookUrl);
        }
    }

    /** {@code d}, unless it is zero or negative. */
    static Duration positive(Duration d, String name) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }

    /**
     * Setters of the options a direct call has (run and stream, which hold the connection until the model is done).
     *
     * @param <B> the concrete builder
     */
    abstract static class DirectBuilder<B extends DirectBuilder<B>> extends Builder<B> {
        @Nullable Duration timeout;
        Consumer<String> onRequestId = id -> { };

        /**
         * Client-side bound for the whole call: until a run's output, or a stream's last event (default: the client's
         * run timeout, 15 minutes). A direct call holds the connection open until the model finishes, so set this
         * above the model's expected run time. If no start timeout is set and this is longer than one second, it is
         * sent as the start timeout too.
         */
        public B timeout(@Nullable Duration timeout) {
            this.timeout = positive(timeout, "timeout");
            return self();
        }

        /**
         * Called with fal's request id ({@code x-fal-request-id}) as soon as fal answers, before the output or the
         * first event is read; it runs on an I/O thread, so keep it short. Failures after the answer carry the id
         * too ({@link FalException#requestId()}).
         */
        public B onRequestId(@Nullable Consumer<String> onRequestId) {
            this.onRequestId = onRequestId == null ? id -> { } : onRequestId;
            return self();
        }
    }

    /**
     * Setters of the options only a queued request has (submit and subscribe, not run).
     *
     * @param <B> the concrete builder
     */
    abstract static class QueueBuilder<B extends QueueBuilder<B>> extends Builder<B> {

        /** URL fal POSTs the outcome to when the request ends (the {@code fal_webhook} query parameter). */
        public B webhookUrl(@Nullable String webhookUrl) {
            this.webhookUrl = webhookUrl;
            return self();
        }

        /** Queue priority, sent as {@code X-Fal-Queue-Priority}. */
        public B priority(@Nullable Priority priority) {
            this.priority = priority;
            return self();
        }
    }
}
