package dev.falclient.emulator;

import static dev.falclient.emulator.Http.awaitCompleted;
import static dev.falclient.emulator.Http.post;
import static dev.falclient.emulator.Http.put;
import static dev.falclient.emulator.QueueProtocolTests.FOREVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code GET .../requests/{id}/status/stream}: one event per change, keep-alive comments, the end. */
class StatusStreamTests extends EmulatorTestBase {

    private static HttpRequest stream(JsonNode submitted, String query) {
        return Http.request(submitted.path("status_url").asString() + "/stream" + query)
                .header("Accept", "text/event-stream").GET().build();
    }

    @Test
    void sendsOneEventPerChangeEndsWithCompletedAndCloses() {
        emu = FalEmulator.builder().workers(1).start();
        EndpointScript script = emu.endpoint("fal-ai/fast-sdxl").processingTime(FOREVER);
        String url = emu.queueUrl() + "/fal-ai/fast-sdxl";
        JsonNode blocker = post(url, "{}").json(); // keeps the only worker busy until cancelled
        script.processingTime(Duration.ofMillis(200)).logLines(List.of("loading", "step 1/2", "step 2/2"));
        JsonNode target = post(url, "{}").json();

        Http.OpenStream open = Http.open(stream(target, "?logs=1")).awaitEvents(1);
        put(blocker.path("cancel_url").asString());
        List<JsonNode> events = Http.events(open.awaitEnd());

        assertThat(events.get(0).path("status").asString()).isEqualTo("IN_QUEUE");
        assertThat(events.get(0).path("queue_position").asInt()).isZero();
        assertThat(events.get(events.size() - 1).path("status").asString()).isEqualTo("COMPLETED");
        assertThat(events.get(events.size() - 1).path("metrics").has("inference_time")).isTrue();
        assertThat(events).filteredOn(e -> e.path("status").asString().equals("COMPLETED")).hasSize(1);
        assertThat(events).anyMatch(e -> e.path("status").asString().equals("IN_PROGRESS"));
        // every event carries only the new log lines: all together give each line once, in order
        List<String> allLogs = new ArrayList<>();
        events.forEach(e -> e.path("logs").forEach(l -> allLogs.add(l.path("message").asString())));
        assertThat(allLogs).containsExactly("loading", "step 1/2", "step 2/2");
        assertThat(events.get(1).path("request_id").asString()).isEqualTo(target.path("request_id").asString());
    }

    @Test
    void streamOfACompletedRequestSendsOneEvent() {
        emu = FalEmulator.builder().processingTime(Duration.ofMillis(10)).start();
        JsonNode sub = post(emu.queueUrl() + "/fal-ai/x", "{}").json();
        awaitCompleted(sub.path("status_url").asString());
        List<JsonNode> events = Http.events(Http.sseLines(stream(sub, "")));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.path("status").asString()).isEqualTo("COMPLETED");
            assertThat(e.path("logs").isNull()).isTrue();
        });
    }

    @Test
    void keepAliveCommentsFlowBetweenEventsWhileAJobStaysInProgress() {
        emu = FalEmulator.builder().streamKeepAlive(Duration.ofMillis(50)).processingTime(FOREVER).logLines(0)
                .start();
        JsonNode sub = post(emu.queueUrl() + "/fal-ai/x", "{}").json();

        Http.OpenStream open = Http.open(stream(sub, "")).awaitEvents(1);
        await().atMost(Http.PATIENCE).until(() -> open.lines().stream().filter(l -> l.startsWith(":")).count() >= 3);
        put(sub.path("cancel_url").asString());
        List<String> lines = open.awaitEnd();

        // read raw: two events (IN_PROGRESS, then COMPLETED on the cancel) with nothing but comments between them
        List<Integer> data = IntStream.range(0, lines.size()).filter(i -> lines.get(i).startsWith("data: "))
                .boxed().toList();
        assertThat(Http.events(lines)).extracting(e -> e.path("status").asString())
                .containsExactly("IN_PROGRESS", "COMPLETED");
        assertThat(lines.subList(data.get(0) + 1, data.get(1))).filteredOn(l -> !l.isEmpty())
                .hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(l -> assertThat(l).isEqualTo(": ping"));
    }

    @Test
    void keepAliveDefaultsToFalsIntervalAndCanBeTurnedOff() {
        emu = FalEmulator.start();
        assertThat(emu.config().streamKeepAlive()).isEqualTo(Duration.ofSeconds(15));
        emu.close();

        emu = FalEmulator.builder().streamKeepAlive(null).processingTime(FOREVER).start();
        JsonNode sub = post(emu.queueUrl() + "/fal-ai/x", "{}").json();
        Http.OpenStream open = Http.open(stream(sub, "")).awaitEvents(1);
        // a 50 ms keep-alive sends several comments in this time (see the test above); off sends none
        await().during(Duration.ofMillis(400)).atMost(Http.PATIENCE)
                .until(() -> open.lines().stream().noneMatch(l -> l.startsWith(":")));
        put(sub.path("cancel_url").asString());
        assertThat(Http.events(open.awaitEnd())).last()
                .satisfies(e -> assertThat(e.path("status").asString()).isEqualTo("COMPLETED"));
    }
}
