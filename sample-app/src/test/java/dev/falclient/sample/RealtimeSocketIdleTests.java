package dev.falclient.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.falclient.emulator.FalEmulator;
import dev.falclient.emulator.RealtimeSession;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** {@code sample.realtime.idle-timeout}: a silent browser socket is closed normally, and its fal connection with it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.fal.mode=emulator",
        "sample.demo.enabled=false",
        "sample.realtime.idle-timeout=1s"})
class RealtimeSocketIdleTests {

    @LocalServerPort
    int port;

    @Autowired
    FalEmulator emulator;

    @Autowired
    RealtimeConnections connections;

    @Test
    void aSilentSocketIsClosedNormallyWithItsFalConnection() {
        Instant started = Instant.now();
        String browser = BrowserSession.newId();
        try (BrowserSocket socket = BrowserSocket.ofPage(port, browser)) {
            socket.next("ready");
            socket.send("a quiet harbour");
            socket.next("output");

            WebSocketCloseStatus status = socket.closeStatus();
            assertThat(status.code()).isEqualTo(1000);
            assertThat(status.reasonText()).isEqualTo("idle");
        }
        await().atMost(BrowserSocket.BOUND).untilAsserted(() -> assertThat(emulator.realtimeSessions())
                .filteredOn(session -> !session.openedAt().isBefore(started))
                .singleElement()
                .satisfies(session -> assertThat(session.open()).isFalse())
                .extracting(RealtimeSession::closeStatus).isEqualTo(1000));
        await().atMost(BrowserSocket.BOUND).until(() -> connections.open() == 0);
        try (BrowserSocket again = BrowserSocket.ofPage(port, browser)) {
            again.next("ready"); // the page connects again at the next keystroke
        }
    }
}
