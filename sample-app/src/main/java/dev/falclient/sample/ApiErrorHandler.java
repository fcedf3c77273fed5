package dev.falclient.sample;

import dev.falclient.FalException;
import dev.falclient.FalHttpException;
import dev.falclient.MissingCredentialsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
        return respond(e.status(), problem);
    }

    @ExceptionHandler(MissingCredentialsException.class)
    ResponseEntity<ProblemDetail> missingKey(MissingCredentialsException e) {
        return respond(HttpStatus.SERVICE_UNAVAILABLE, problem(HttpStatus.SERVICE_UNAVAILABLE,
                "No fal key", e.getMessage() + " (set FAL_KEY, or run with sample.fal.mode=emulator)"));
    }

    @ExceptionHandler(FalHttpException.class)
    ResponseEntity<ProblemDetail> falHttp(FalHttpException e) {
        log.warn("fal answered HTTP {}: {}", e.statusCode(), e.getMessage());
        ProblemDetail problem = problem(HttpStatus.BAD_GATEWAY, "fal call failed",
                "fal answered HTTP " + e.statusCode() + ": " + e.getMessage());
        problem.setProperty("falStatus", e.statusCode());
        if (e.errorType() != null) {
            problem.setProperty("errorType", e.errorType());
        }
        return respond(HttpStatus.BAD_GATEWAY, problem);
    }

    @ExceptionHandler(FalException.class)
    ResponseEntity<ProblemDetail> fal(FalException e) {
        log.warn("fal call failed: {}", e.getMessage());
        return respond(HttpStatus.BAD_GATEWAY, problem(HttpStatus.BAD_GATEWAY, "fal call failed", e.getMessage()));
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
