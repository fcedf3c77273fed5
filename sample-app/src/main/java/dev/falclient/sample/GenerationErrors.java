package dev.falclient.sample;

import java.time.Duration;
import org.springframework.http.HttpStatus;

/** The sample API's own errors; {@link ApiErrorHandler} turns them into RFC 9457 problem details. */
public final class GenerationErrors {

    private GenerationErrors() {
    }

    /** Base: an error with an HTTP status and a short title. */
    public abstract static class ApiException extends RuntimeException {
        private final HttpStatus status;
        private final String title;

        ApiException(HttpStatus status, String title, String detail) {
            super(detail);
            this.status = status;
            this.title = title;
        }

        public HttpStatus status() {
            return status;
        }

        public String title() {
            return title;
        }
    }

    /** 400: the request body is not acceptable. */
    public static final class InvalidGeneration extends ApiException {
        InvalidGeneration(String detail) {
            super(HttpStatus.BAD_REQUEST, "Invalid generation request", detail);
        }
    }

    /** 404: fal (or the event store) does not know the id. */
    public static final class GenerationNotFound extends ApiException {
        GenerationNotFound(String detail) {
            super(HttpStatus.NOT_FOUND, "Generation not found", detail);
        }
    }

    /** Base: an error about a known generation, whose current status goes into the problem details. */
    public abstract static class GenerationProblem extends ApiException {
        private final GenerationStatus generation;

        GenerationProblem(HttpStatus status, String title, String detail, GenerationStatus generation) {
            super(status, title, detail);
            this.generation = generation;
        }

        public GenerationStatus generation() {
            return generation;
        }
    }

    /** 409: the result was asked for before the generation completed, or it was cancelled. */
    public static final class GenerationNotCompleted extends GenerationProblem {
        GenerationNotCompleted(String detail, GenerationStatus generation) {
            super(HttpStatus.CONFLICT, "Generation has no result", detail, generation);
        }
    }

    /** 502: fal completed the generation with an error. */
    public static final class GenerationFailed extends GenerationProblem {
        GenerationFailed(String detail, GenerationStatus generation) {
            super(HttpStatus.BAD_GATEWAY, "Generation failed", detail, generation);
        }
    }

    /** 503 or 429 with {@code Retry-After}: too many generations are running (in the app, or for this browser). */
    public static final class Busy extends ApiException {
        private final Duration retryAfter;

        Busy(HttpStatus status, String detail, Duration retryAfter) {
            super(status, status == HttpStatus.TOO_MANY_REQUESTS ? "Too many generations" : "Busy", detail);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }
}
