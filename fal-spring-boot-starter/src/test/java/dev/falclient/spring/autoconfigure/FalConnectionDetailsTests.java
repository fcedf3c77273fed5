package dev.falclient.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.AsyncFalClient;
import dev.falclient.FalClient;
import dev.falclient.spring.EmulatorTestBase;
import dev.falclient.FalCredentials;
import dev.falclient.emulator.CallKind;
import dev.falclient.settings.UrlSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * The client beans read {@link FalConnectionDetails}: by default the properties-backed bean, replaced by an
 * application's own bean (key and URLs), which the startup line then names.
 */
@ExtendWith(OutputCaptureExtension.class)
class FalConnectionDetailsTests extends EmulatorTestBase {

    private static final String PROPERTY_KEY = "prop-key-0123456789abcdef";
    private static final String DETAILS_KEY = "details-key-0123456789abcdef";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(FalAutoConfigurationTests.UPSTREAM)
            .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class));

    /** Connection details of the emulator's queue and CDN with their own key (run and REST stay fal's). */
    static FalConnectionDetails emulatorDetails() {
        return new FalConnectionDetails() {
            @Override
            public FalCredentials getCredentials() {
                return FalCredentials.key(DETAILS_KEY);
            }

            @Override
            public String getQueueUrl() {
                return emulator.queueUrl();
            }

            @Override
            public String getCdnUrl() {
                return emulator.cdnUrl();
            }
        };
    }

    @Test
    void fixedDetailsServeTheClientAndNameOnlyTheirUrls() {
        UrlSettings urls = UrlSettings.DEFAULTS.withQueueUrl(emulator.queueUrl());
        FalConnectionDetails fixed = FalConnectionDetails.of(FalCredentials.key(DETAILS_KEY), urls);

        assertThat(fixed.getUrls()).isEqualTo(urls);
        assertThat(fixed.getRunUrl()).isEqualTo(UrlSettings.DEFAULT_RUN_URL);
        assertThat(fixed.toString()).contains(emulator.queueUrl()).doesNotContain(DETAILS_KEY);
        runner.withBean(FalConnectionDetails.class, () -> fixed).run(context -> {
            context.getBean(FalClient.class).submit("fal-ai/flux/dev", Map.of("prompt", "fixed details"));
            assertThat(emulator.requests(CallKind.SUBMIT)).filteredOn(r -> r.body().contains("fixed details"))
                    .singleElement()
                    .satisfies(r -> assertThat(r.header("Authorization")).isEqualTo("Key " + DETAILS_KEY));
        });
    }

    @Test
    void defaultDetailsComeFromTheProperties() {
        runner.withPropertyValues("fal.key=" + PROPERTY_KEY, "fal.queue-url=http://127.0.0.1:9/gw/queue",
                        "fal.cdn-url=http://127.0.0.1:9/cdn")
                .run(context -> {
                    assertThat(context).hasSingleBean(FalConnectionDetails.class)
                            .hasSingleBean(PropertiesFalConnectionDetails.class);
                    FalConnectionDetails details = context.getBean(FalConnectionDetails.class);
                    assertThat(details.getUrls()).isEqualTo(new UrlSettings("http://127.0.0.1:9/gw/queue",
                            UrlSettings.DEFAULT_RUN_URL, UrlSettings.DEFAULT_REST_URL, "http://127.0.0.1:9/cdn"));
                    assertThat(details.getCredentials().resolve()).hasValueSatisfying(credential -> {
                        assertThat(credential.key()).isEqualTo(PROPERTY_KEY);
                        assertThat(credential.source()).isEqualTo("fal.key");
                    });
                    assertThat(details.toString()).doesNotContain(PROPERTY_KEY).doesNotContain("0123456789");
                    assertThat(context.getBean(AsyncFalClient.class).stats().queueUrl())
                            .isEqualTo("http://127.0.0.1:9/gw/queue");
                });
    }

    @Test
    void applicationDetailsReplaceTheDefaultAndTheClientCallsWithThem(CapturedOutput output) {
        FalConnectionDetails mine = emulatorDetails();
        // the properties name another host and key: the details bean wins over both
        runner.withBean(FalConnectionDetails.class, () -> mine)
                .withPropertyValues("fal.key=" + PROPERTY_KEY, "fal.queue-url=http://127.0.0.1:9/queue")
                .run(context -> {
                    assertThat(context).hasSingleBean(FalConnectionDetails.class)
                            .doesNotHaveBean(PropertiesFalConnectionDetails.class);
                    assertThat(context.getBean(FalConnectionDetails.class)).isSameAs(mine);

                    JsonNode output1 = context.getBean(FalClient.class)
                            .subscribe("fal-ai/fast-sdxl", Map.of("prompt", "details"));

                    assertThat(output1.path("images").get(0).path("url").asString())
                            .startsWith(emulator.cdnUrl());
                    assertThat(emulator.requests(CallKind.SUBMIT)).filteredOn(r -> r.body().contains("\"prompt\":\"details\""))
                            .singleElement()
                            .satisfies(r -> assertThat(r.header("Authorization")).isEqualTo("Key " + DETAILS_KEY));
                });
        assertThat(output.getAll()).contains("fal client ready: key from a fixed key (deta…); queue "
                        + emulator.queueUrl() + ", run https://fal.run, rest https://rest.fal.ai, cdn " + emulator.cdnUrl() + " (from connection details " + mine.getClass().getName() + ")")
                .doesNotContain(DETAILS_KEY).doesNotContain(PROPERTY_KEY);
    }

    @Test
    void detailsThatOnlySupplyAKeyUseFalsHosts() {
        runner.withBean(FalConnectionDetails.class, () -> () -> FalCredentials.key(DETAILS_KEY))
                .run(context -> {
                    assertThat(context.getBean(FalConnectionDetails.class).getUrls()).isEqualTo(UrlSettings.DEFAULTS);
                    AsyncFalClient client = context.getBean(AsyncFalClient.class);
                    assertThat(client.stats().queueUrl()).isEqualTo(UrlSettings.DEFAULT_QUEUE_URL);
                    assertThat(client.stats().maskedKey()).hasValueSatisfying(masked -> assertThat(masked)
                            .startsWith("deta").doesNotContain("0123456789"));
                });
    }

    @Test
    void anInvalidUrlFromTheDetailsFailsTheStartNamingIt() {
        FalConnectionDetails broken = new FalConnectionDetails() {
            @Override
            public FalCredentials getCredentials() {
                return FalCredentials.key(DETAILS_KEY);
            }

            @Override
            public String getQueueUrl() {
                return "queue.example";
            }
        };
        runner.withBean(FalConnectionDetails.class, () -> broken)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("queueUrl").hasMessageContaining("queue.example"));
    }
}
