package dev.falclient.emulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The run host's calls: a direct run answers after the processing time, a streaming run sends partial events. */
final class RunHandlers {

    private static final JsonNode RUNNER_ERROR = Replies.NODES.objectNode().put("detail", "Streaming failed")
            .put("error_type", "runner_server_error");

    private final Scripts scripts;
    private final ScriptRunner runner;

    RunHandlers(Scripts scripts, ScriptRunner runner) {
        this.scripts = scripts;
        this.runner = runner;
    }

    /** A run's input and script, or the answer that ends it before it starts. */
    private record Prepared(JsonNode input, EndpointScript.Snapshot script, Reply early) {
    }

    Mono<Reply> handle(Call.Api call, String body) {
        Prepared p = prepare(call, body);
        if (p.early() != null) {
            return Mono.just(p.early());
        }
        return call.kind() == CallKind.STREAM ? Mono.just(stream(call, p)) : run(call, p);
    }

    private Prepared prepare(Call.Api call, String body) {
        JsonNode input;
        try {
            input = Replies.parseInput(body);
        } catch (JacksonException e) {
            return new Prepared(null, null, Replies.invalidJson(call.requestId(), e));
        }
        EndpointScript.Snapshot script = scripts.snapshot(call.endpoint().base());
        if (script.validationBody() != null) {
            return new Prepared(null, null, Replies.json(422, call.requestId(), script.validationBody()));
        }
        return new Prepared(input, script, null);
    }

    private Mono<Reply> run(Call.Api call, Prepared p) {
        long started = System.nanoTime();
        // Mono.delay's timer thread, not the event loop, runs the (user) output function
        return Mono.delay(p.script().processingTime()).map(x -> Replies.outcome(call.requestId(),
                runner.run(p.script(), call.requestId(), p.input(), secondsSince(started))));
    }

    private Reply stream(Call.Api call, Prepared p) {
        EndpointScript.Snapshot script = p.script();
        if (script.failure() != null) {
            // fal answers a failing streaming run with a plain error response, not with a stream
            return Replies.outcome(call.requestId(), new Outcome.Failed(script.failure()));
        }
        StreamScript scripted = script.stream();
        List<String> lines = script.logLines().isEmpty() ? List.of("working") : script.logLines();
        int count = scripted.count() != null ? scripted.count() : lines.size();
        boolean fails = scripted.failureAfter() != null;
        int partialsSent = fails ? Math.min(scripted.failureAfter(), count) : count;
        Duration step = scripted.interval() != null ? scripted.interval()
                : script.processingTime().dividedBy(count + 1);
        long started = System.nanoTime();
        // Mono.delay's timer thread, not the event loop, runs the (user) partial and output functions
        Flux<String> partials = Flux.range(0, partialsSent).concatMap(i -> Mono.delay(step).map(x -> event(
                scripted.partial() != null ? scripted.partial().apply(i, p.input().deepCopy())
                        : defaultPartial(call, lines.get(i % lines.size()), (double) (i + 1) / (count + 1)))));
        Mono<String> last = Mono.delay(step).map(x -> {
            if (fails) {
                return event(scripted.failureBody());
            }
            Outcome o = runner.run(script, call.requestId(), p.input(), secondsSince(started));
            return event(o instanceof Outcome.Success s ? s.output() : RUNNER_ERROR);
        });
        // a throwing partial function ends the stream as a crashing app would: with an error event
        Flux<String> events = partials.concatWith(last).onErrorResume(e -> Mono.just(event(RUNNER_ERROR)));
        return new Reply.Sse(Map.of(Replies.REQUEST_ID, call.requestId()), events);
    }

    private static JsonNode defaultPartial(Call.Api call, String line, double progress) {
        ObjectNode n = Replies.NODES.objectNode();
        n.put("partial", true);
        n.put("progress", progress);
        n.put("message", line);
        n.put("request_id", call.requestId());
        return n;
    }

    private static String event(JsonNode data) {
        return "data: " + data + "\n\n";
    }

    private static double secondsSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
