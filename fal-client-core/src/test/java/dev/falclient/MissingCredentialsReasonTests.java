package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static dev.falclient.FalTestSupport.builder;
import static dev.falclient.FalTestSupport.withEnvironment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A credential source that knows why it has no key puts that reason into the {@link MissingCredentialsException}. */
@WireMockTest
class MissingCredentialsReasonTests {

    private static final String REASON = "fal.key is the unresolved placeholder ${FAL_KEY}";

    /** No key, with a reason. */
    private static final FalCredentials UNRESOLVED = new FalCredentials() {
        @Override
        public Optional<Credential> resolve() {
            return Optional.empty();
        }

        @Override
        public Optional<String> missingReason() {
            return Optional.of(REASON);
        }
    };

    @Test
    void theFirstCallNamesTheReasonAndTheUsualWaysToSetAKey(WireMockRuntimeInfo wm) {
        // the default chain over an environment without FAL_KEY: the machine's own does not matter
        try (FalClient fal = withEnvironment(builder(wm), UNRESOLVED, null, Map.of())) {
            assertThatThrownBy(() -> fal.submit("fal-ai/flux", Map.of("prompt", "x")))
                    .isInstanceOf(MissingCredentialsException.class)
                    .hasMessageStartingWith("No fal credentials found: " + REASON + ". ")
                    .hasMessageContaining("FAL_KEY_SECRET");
        }
        wm.getWireMock().verifyThat(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aChainCarriesTheReasonOfItsSources() {
        FalCredentials none = Optional::empty;
        assertThat(none.missingReason()).isEmpty();
        assertThat(none.orElse(UNRESOLVED).missingReason()).contains(REASON);
        assertThat(UNRESOLVED.orElse(FalCredentials.key("k")).resolve()).map(FalCredentials.Credential::key)
                .contains("k");
    }
}
