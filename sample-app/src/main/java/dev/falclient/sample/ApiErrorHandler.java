package dev.falclient.sample;

import dev.falclient.FalException;
import dev.falclient.FalHttpException;
import dev.falclient.MissingCredentialsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns errors into RFC 9457 problem details ({@code application/problem+json}): {@code title}, {@code status},
 * {@code detail}, plus {@code generation} (the status) where it helps. Spring's own errors (malformed JSON, wrong
 * media type) are handled by the base class the same way.
 */
@RestControllerAdvice
public class ApiErrorHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

    @ExceptionHandler(GenerationErrors.ApiException.class)
    ResponseEntity<ProblemDetail> api(GenerationErrors.ApiException e) {
        ProblemDetail problem = problem(e.status(), e.title(), e.getMessage());
        if (e instanceof GenerationErrors.GenerationProblem p) {
            problem.setProperty("generation", p.generation());
        }
        if (e instanceof GenerationErrors.Busy busy) {
            return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, busy.retryAfter().toSeconds())))
                    .body(problem);
        }
        return respond(e.status(), problem);
    }

    @ExceptionHandler(MissingCredentialsException.class)
    ResponseEntity<ProblemDetail> missingKey(MissingCredentialsException e) {
        return respond(HttpStatus.SERVICE_UNAVAILABLE, problem(HttpStatus.SERVICE_UNAVAILABLE,
                "No fal key", e.getMessage() + " (set FAL_KEY, or run with sample.fal.mode=emulator)"));
    }

    /**
     * A failed fal call: the caller gets a generic message and a reference, never fal's message or URLs (which
     * name upstream hosts and may carry details of the owner's account); the log has the whole story under the
     * same reference.
     */
    @ExceptionHandler(FalException.class)
    ResponseEntity<ProblemDetail> fal(FalException e) {
        String reference = UUID.randomUUID().toString();
        if (e instanceof FalHttpException http) {
            log.warn("fal call failed [reference {}]: HTTP {}: {}", reference, http.statusCode(), e.getMessage());
        } else {
            log.warn("fal call failed [reference {}]: {}", reference, e.getMessage());
        }
        ProblemDetail problem = problem(HttpStatus.BAD_GATEWAY, "Generation service failed",
                "The generation service could not complete the call; reference " + reference);
        problem.setProperty("reference", reference);
        e.requestId().ifPresent(id -> problem.setProperty("requestId", id));
        return respond(HttpStatus.BAD_GATEWAY, problem);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> badArgument(IllegalArgumentException e) {
        return respond(HttpStatus.BAD_REQUEST, problem(HttpStatus.BAD_REQUEST, "Bad request", e.getMessage()));
    }

    /**
     * Always {@code application/problem+json}, also for a client that accepts only {@code text/event-stream}
     * (an {@code EventSource} asking for the events of an unknown id): otherwise the problem would be written as an
     * SSE event.
     */
    private static ResponseEntity<ProblemDetail> respond(HttpStatus status, ProblemDetail problem) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
