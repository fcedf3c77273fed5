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
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.context.WebApplicationContext;

/** The whole Spring MVC (servlet) application, with its controller calling the emulator through {@code FalClient}. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@AutoConfigureMockMvc
@AutoConfigureFalEmulator(processingTime = "20ms")
class MvcApplicationTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    FalEmulator emulator;

    @Autowired
    WebApplicationContext context;

    @Test
    void servletApplicationServesFalOutputs() throws Exception {
        assertThat(context.getServletContext()).isNotNull();

        mvc.perform(get("/images").param("prompt", "a servlet app"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.url", Matchers.startsWith(emulator.cdnUrl() + "/files/")));

        assertThat(emulator.requests(CallKind.SUBMIT)).singleElement()
                .satisfies(submit -> assertThat(submit.header("Authorization")).isEqualTo("Key emulator-key"));
    }
}
