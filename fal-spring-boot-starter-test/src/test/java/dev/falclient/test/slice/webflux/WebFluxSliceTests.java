package dev.falclient.test.slice.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.test.AutoConfigureFalEmulator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.test.web.reactive.server.WebTestClient;

/** {@code @AutoConfigureFalEmulator} in a {@code @WebFluxTest} slice: the controller's client calls the emulator. */
@WebFluxTest(FluxImageController.class)
@AutoConfigureFalEmulator(processingTime = "20ms", requireKey = true, key = "flux-slice-key")
class WebFluxSliceTests {

    @Autowired
    WebTestClient web;

    @Autowired
    FalEmulator emulator;

    @Test
    void controllerCallsTheEmulatorThroughTheInjectedClient() {
        web.get().uri("/images?prompt=a flux slice").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.url").value(String.class,
                        url -> assertThat(url).startsWith(emulator.cdnUrl() + "/files/"));

        assertThat(emulator.requests(CallKind.SUBMIT)).singleElement().satisfies(submit -> {
            assertThat(submit.endpointId()).isEqualTo("fal-ai/flux/schnell");
            assertThat(submit.header("Authorization")).isEqualTo("Key flux-slice-key");
        });
    }
}
