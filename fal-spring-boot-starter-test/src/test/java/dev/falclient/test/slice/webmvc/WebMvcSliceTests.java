package dev.falclient.test.slice.webmvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.test.AutoConfigureFalEmulator;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.web.servlet.MockMvc;

/** {@code @AutoConfigureFalEmulator} in a {@code @WebMvcTest} slice: the blocking client calls the emulator. */
@WebMvcTest(MvcImageController.class)
@AutoConfigureFalEmulator(processingTime = "20ms", requireKey = true, key = "mvc-slice-key")
class WebMvcSliceTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    FalEmulator emulator;

    @Test
    void controllerCallsTheEmulatorThroughTheInjectedClient() throws Exception {
        mvc.perform(get("/images").param("prompt", "an mvc slice"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.url", Matchers.startsWith(emulator.cdnUrl() + "/files/")));

        assertThat(emulator.requests(CallKind.SUBMIT)).singleElement().satisfies(submit -> {
            assertThat(submit.endpointId()).isEqualTo("fal-ai/flux/schnell");
            assertThat(submit.header("Authorization")).isEqualTo("Key mvc-slice-key");
        });
    }
}
