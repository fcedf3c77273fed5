package dev.falclient.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link FalEmulator#traffic()}: accepted connections and received calls, beyond what recording keeps. */
class TrafficTests extends EmulatorTestBase {

    private static int send(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void countsConnectionsOncePerConnectionAndCallsByKind() throws Exception {
        emu = FalEmulator.builder().processingTime(Duration.ofMillis(10)).maxRecordedRequests(1).start();
        Traffic start = emu.traffic();
        assertThat(start.connections()).isZero();
        assertThat(start.calls()).isZero();

        // one keep-alive client: several calls, one connection
        HttpClient one = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String submitUrl = emu.queueUrl() + "/fal-ai/fast-sdxl";
        assertThat(send(one, Http.request(submitUrl).POST(HttpRequest.BodyPublishers.ofString("{}")).build()))
                .isEqualTo(200);
        assertThat(send(one, Http.request(submitUrl).POST(HttpRequest.BodyPublishers.ofString("{}")).build()))
                .isEqualTo(200);
        assertThat(send(one, Http.request(emu.queueUrl() + "/fal-ai/fast-sdxl/requests/nope/status").GET().build()))
                .isEqualTo(404);
        // rejected calls count as well
        assertThat(send(one, HttpRequest.newBuilder(java.net.URI.create(submitUrl))
                .POST(HttpRequest.BodyPublishers.noBody()).build())).isEqualTo(401);
        Traffic afterOne = emu.traffic();

        // a second client opens a connection of its own
        HttpClient two = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThat(send(two, Http.request(emu.proxyUrl()).header("x-fal-target-url", "https://fal.run/fal-ai/x")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build())).isEqualTo(200);
        Traffic afterTwo = emu.traffic();

        assertThat(afterOne.connections()).isEqualTo(1);
        assertThat(afterOne.calls()).isEqualTo(4);
        assertThat(afterOne.calls(CallKind.SUBMIT)).isEqualTo(3);
        assertThat(afterOne.calls(CallKind.STATUS)).isEqualTo(1);
        assertThat(emu.requests()).hasSize(1); // recording is bounded, counting is not

        Traffic second = afterTwo.minus(afterOne);
        assertThat(second.connections()).isEqualTo(1);
        assertThat(second.calls()).isEqualTo(1);
        assertThat(second.calls(CallKind.RUN)).isEqualTo(1);
        assertThat(second.callsByKind()).containsKeys(CallKind.values());

        emu.reset();
        assertThat(emu.traffic().calls()).isEqualTo(5);
    }
}
