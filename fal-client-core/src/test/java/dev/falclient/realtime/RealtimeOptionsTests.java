package dev.falclient.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every option says what is allowed when given a bad value. */
class RealtimeOptionsTests {

    @Test
    void defaultsAreFalsOwn() {
        RealtimeOptions options = RealtimeOptions.DEFAULTS;

        assertThat(options.path()).isEqualTo("/realtime");
        assertThat(options.maxBuffering()).isEmpty();
        assertThat(options.tokenExpiration()).isEqualTo(Duration.ofSeconds(120));
        assertThat(options.encoding()).isEqualTo(RealtimeEncoding.MSGPACK);
        assertThat(options.latestInputWins()).isFalse();
        assertThat(options.reconnectWhenIdle()).isTrue();
        assertThat(options.reconnectAttempts()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 61, -1})
    void maxBufferingIsOneToSixty(int frames) {
        assertThatThrownBy(() -> RealtimeOptions.builder().maxBuffering(frames))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 60");
    }

    @Test
    void tokenExpirationIsWholeSecondsUpToADay() {
        assertThatThrownBy(() -> RealtimeOptions.builder().tokenExpiration(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> RealtimeOptions.builder().tokenExpiration(Duration.ofDays(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 day");
        assertThat(RealtimeOptions.builder().tokenExpiration(Duration.ofSeconds(30)).build().tokenExpiration())
                .isEqualTo(Duration.ofSeconds(30));
    }

    @ParameterizedTest
    @ValueSource(strings = {"realtime", "/a/../b", "/x?y=1", "/./x", "/x#y"})
    void thePathStartsWithASlashAndHasNoQueryOrDotSegment(String path) {
        assertThatThrownBy(() -> RealtimeOptions.builder().path(path))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with '/'");
    }

    @Test
    void durationsArePositiveAndCountsBounded() {
        assertThatThrownBy(() -> RealtimeOptions.builder().outputTimeout(Duration.ZERO))
                .hasMessageContaining("outputTimeout must be positive");
        assertThatThrownBy(() -> RealtimeOptions.builder().reconnectBackoff(Duration.ofSeconds(-1)))
                .hasMessageContaining("reconnectBackoff must be positive");
        assertThatThrownBy(() -> RealtimeOptions.builder().reconnectAttempts(-1))
                .hasMessageContaining("0 to 100");
        assertThatThrownBy(() -> RealtimeOptions.builder().maxPendingInputs(0))
                .hasMessageContaining("1 to 10000");
    }
}
