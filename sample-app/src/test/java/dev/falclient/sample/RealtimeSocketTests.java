package dev.falclient.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.falclient.emulator.FalEmulator;
import dev.falclient.emulator.RealtimeSession;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * The realtime page's WebSocket ({@code /realtime/ws}) driven as a browser would, without one: prompts in, outputs out
 * with their images on the app's origin, fal (the emulator) reached with a token and never the key, the same-origin,
 * session, limit and size rules, failures sanitised, and a browser leaving closing the fal connection.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.fal.mode=emulator",
        "sample.demo.enabled=false",
        "sample.realtime.max-connections=3",
        "sample.realtime.max-connections-per-session=2",
        "sample.realtime.max-message-size=4KB"})
class RealtimeSocketTests {

    @LocalServerPort
    int port;

    @Autowired
    FalEmulator emulator;

    @Autowired
    SampleProperties properties;

    @Autowired
    RealtimeConnections connections;

    Instant started;

    @BeforeEach
    void start() {
        started = Instant.now();
    }

    @AfterEach
    void allClosed() {
        emulator.endpoint(endpointId()).reset(); // the context is shared
        // each test closes its sockets: none may stay counted
        await().atMost(BrowserSocket.BOUND).until(() -> connections.open() == 0);
    }

    @Test
    void promptsYieldOutputsWithImagesOnTheAppsOriginAndTheKeyStaysOnTheServer() {
        try (BrowserSocket socket = BrowserSocket.ofPage(port, BrowserSession.newId())) {
            assertThat(socket.next("ready").path("endpointId").asString()).isEqualTo("fal-ai/fast-lcm-diffusion");
            socket.send("a red fox");
            JsonNode output = socket.next("output");
            assertThat(output.path("prompt").asString()).isEqualTo("a red fox");
            assertThat(output.path("latencyMs").asLong(-1)).isNotNegative();
            assertThat(output.path("output").path("prompt").asString()).isEqualTo("a red fox");
            String image = output.path("output").path("images").path(0).path("url").asString();
            assertThat(image).startsWith("/images/");
            OneConnectionPerExchange.webTestClient(port).get().uri(image).exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.IMAGE_PNG);

            socket.send("a red fox in the snow");
            assertThat(socket.next("output").path("prompt").asString()).isEqualTo("a red fox in the snow");

            // fal saw one session, opened with a short-lived token (not the key), fal's max_buffering, both prompts
            RealtimeSession session = sessionSinceStart();
            assertThat(session.auth()).isEqualTo(RealtimeSession.Auth.TOKEN);
            assertThat(session.token()).isNotBlank();
            assertThat(session.query()).containsEntry("max_buffering", "2");
            assertThat(session.inputs()).extracting(input -> input.path("prompt").asString())
                    .containsExactly("a red fox", "a red fox in the snow");
            // the browser saw neither the key nor the token
            assertThat(socket.received()).isNotEmpty().noneMatch(text -> text.contains(EmulatorConfiguration.EMULATOR_KEY)
                    || text.contains(session.token()));
        }
    }

    @Test
    void whenPromptsComeFasterThanFalAnswersTheLatestOneIsAnswered() {
        emulator.endpoint(endpointId()).realtimeProcessingTime(java.time.Duration.ofMillis(300));
        try (BrowserSocket socket = BrowserSocket.ofPage(port, BrowserSession.newId())) {
            socket.next("ready");
            String typed = "";
            for (char c : "a lighthouse at dusk".toCharArray()) {
                typed += c;
                socket.send(typed);
            }
            String latest = typed;
            JsonNode output = socket.next("output");
            while (!latest.equals(output.path("prompt").asString())) {
                output = socket.next("output");
            }
            assertThat(output.path("output").path("prompt").asString()).isEqualTo(latest);
            // fal did not work through every keystroke
            RealtimeSession session = sessionSinceStart();
            assertThat(session.outputs()).isLessThan(latest.length());
        }
    }

    @Test
    void closingTheBrowserSocketClosesTheFalConnection() {
        BrowserSocket socket = BrowserSocket.ofPage(port, BrowserSession.newId());
        socket.next("ready");
        socket.send("a heron");
        socket.next("output");
        assertThat(sessionSinceStart().open()).isTrue();

        socket.close();

        // at once, not after the client's output timeout (30 s) that follows the last input
        await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sessionSinceStart())
                .satisfies(session -> assertThat(session.open()).isFalse())
                .satisfies(session -> assertThat(session.closeStatus()).isEqualTo(1000)));
    }

    @Test
    void aCrossOriginOrSessionlessSocketIsRefusedBeforeFalIsCalled() {
        String session = BrowserSession.newId();
        String cookie = BrowserSession.COOKIE + "=" + session;
        BrowserSocket otherSite = BrowserSocket.open(port, h -> h.set("Origin", "https://evil.example")
                .set("Cookie", cookie));
        assertThat(otherSite.refusedWith()).isEqualTo(403);
        BrowserSocket otherPort = BrowserSocket.open(port, h -> h.set("Origin", "http://127.0.0.1:1")
                .set("Cookie", cookie));
        assertThat(otherPort.refusedWith()).isEqualTo(403);
        // browsers send Origin on every WebSocket handshake (Netty's client too: a bare request shows its absence)
        OneConnectionPerExchange.bare(port).get().uri(RealtimeSocketHandler.PATH)
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .cookie(BrowserSession.COOKIE, session)
                .exchange().expectStatus().isForbidden();
        BrowserSocket crossSite = BrowserSocket.open(port, h -> h.set("Origin", "http://127.0.0.1:" + port)
                .set("Sec-Fetch-Site", "cross-site").set("Cookie", cookie));
        assertThat(crossSite.refusedWith()).isEqualTo(403);

        try (BrowserSocket noSession = BrowserSocket.open(port, h -> h.set("Origin", "http://127.0.0.1:" + port))) {
            assertThat(noSession.next().path("code").asString()).isEqualTo("no-session");
            assertThat(noSession.closeStatus().code()).isEqualTo(1008);
        }
        assertThat(sessionsSinceStart()).isEmpty();
    }

    @Test
    void connectionsAreBoundedPerBrowserSessionAndInTheApp() {
        String browser = BrowserSession.newId();
        try (BrowserSocket first = BrowserSocket.ofPage(port, browser);
             BrowserSocket second = BrowserSocket.ofPage(port, browser)) {
            first.next("ready");
            second.next("ready"); // two of one browser: both admitted, whichever came first
            try (BrowserSocket third = BrowserSocket.ofPage(port, browser)) {
                JsonNode refused = third.next();
                assertThat(refused.path("type").asString()).isEqualTo("error");
                assertThat(refused.path("code").asString()).isEqualTo("busy");
                assertThat(refused.path("message").asString()).contains("This browser already has 2");
                assertThat(third.closeStatus().code()).isEqualTo(1013);
            }
            try (BrowserSocket otherBrowser = BrowserSocket.ofPage(port, BrowserSession.newId())) {
                otherBrowser.next("ready");
                try (BrowserSocket oneTooMany = BrowserSocket.ofPage(port, BrowserSession.newId())) {
                    assertThat(oneTooMany.next().path("message").asString()).contains("The app has as many");
                    assertThat(oneTooMany.closeStatus().code()).isEqualTo(1013);
                }
            }
        }
        await().atMost(BrowserSocket.BOUND).until(() -> connections.open() == 0);
        try (BrowserSocket again = BrowserSocket.ofPage(port, browser)) {
            again.next("ready"); // the closed ones were released
        }
    }

    @Test
    void aFalFailureReachesTheBrowserSanitisedAndClosesTheSocket() {
        emulator.endpoint(endpointId()).realtimeFailure(1, "CUDA out of memory at http://10.0.0.7/internal");
        try (BrowserSocket socket = BrowserSocket.ofPage(port, BrowserSession.newId())) {
            socket.next("ready");
            socket.send("first");
            socket.next("output");
            socket.send("second");
            JsonNode error = socket.next("error");
            assertThat(error.path("code").asString()).isEqualTo("failed");
            assertThat(error.path("message").asString()).contains("INTERNAL_ERROR").contains("reference")
                    .doesNotContain("CUDA").doesNotContain("10.0.0.7");
            assertThat(socket.closeStatus().code()).isEqualTo(1011);
        }
    }

    @Test
    void malformedOrOversizedMessagesCloseTheSocket() {
        try (BrowserSocket socket = BrowserSocket.ofPage(port, BrowserSession.newId())) {
            socket.next("ready");
            socket.sendRaw("a red fox");
            assertThat(socket.next("error").path("code").asString()).isEqualTo("bad-message");
            assertThat(socket.closeStatus().code()).isEqualTo(1008);
        }
        try (BrowserSocket socket = BrowserSocket.ofPage(port, BrowserSession.newId())) {
            socket.next("ready");
            socket.send("x".repeat(RealtimeMessages.MAX_PROMPT + 1));
            assertThat(socket.next("error").path("message").asString()).contains("at most 2000 characters");
            assertThat(socket.closeStatus().code()).isEqualTo(1008);
        }
        try (BrowserSocket socket = BrowserSocket.ofPage(port, BrowserSession.newId())) {
            socket.next("ready");
            socket.send("x".repeat(5_000)); // over sample.realtime.max-message-size
            assertThat(socket.closeStatus().code()).isEqualTo(1009);
        }
        assertThat(sessionsSinceStart()).allSatisfy(session -> assertThat(session.inputsReceived()).isZero());
    }

    private String endpointId() {
        return properties.realtime().endpointId();
    }

    private List<RealtimeSession> sessionsSinceStart() {
        return emulator.realtimeSessions().stream()
                .filter(session -> session.endpointId().equals(endpointId()))
                .filter(session -> !session.openedAt().isBefore(started))
                .toList();
    }

    private RealtimeSession sessionSinceStart() {
        List<RealtimeSession> sessions = sessionsSinceStart();
        assertThat(sessions).hasSize(1);
        return sessions.get(0);
    }
}
