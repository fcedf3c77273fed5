package dev.falclient.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WireTests {

    @Test
    void messagesSurviveSpacesAndLineBreaksInValues() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("failed", 2);
        fields.put("error", "job 3: FalException: Request failed\nwith code: 500 = bad");
        String line = Wire.format("DONE", fields);

        assertThat(line).doesNotContain("\n").startsWith("DONE failed=2 error=");
        assertThat(Wire.is(line, "DONE")).isTrue();
        assertThat(Wire.is(line, "DO")).isFalse();
        assertThat(Wire.parse(line)).containsEntry("failed", "2")
                .containsEntry("error", "job 3: FalException: Request failed\nwith code: 500 = bad");
        assertThat(Wire.number(Wire.parse(line), "failed")).isEqualTo(2);
        assertThatThrownBy(() -> Wire.number(Wire.parse(line), "missing")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void argsTakeBothSpellingsAndRefuseUnknownOrBadOptions() {
        Args a = new Args(new String[] {"--jobs", "2_000", "--clients=fal-java,ours-polling"},
                Set.of("jobs", "clients"));
        assertThat(a.integer("jobs", 1, 1)).isEqualTo(2000);
        assertThat(a.string("clients", "")).isEqualTo("fal-java,ours-polling");
        assertThat(a.integer("missing", 7, 1)).isEqualTo(7);

        assertThatThrownBy(() -> new Args(new String[] {"--job", "1"}, Set.of("jobs")))
                .hasMessageStartingWith("unknown option --job");
        assertThatThrownBy(() -> new Args(new String[] {"--jobs"}, Set.of("jobs")))
                .hasMessage("missing value for --jobs");
        assertThatThrownBy(() -> new Args(new String[] {"--jobs", "0"}, Set.of("jobs")).integer("jobs", 1, 1))
                .hasMessage("--jobs must be at least 1: 0");
        assertThatThrownBy(() -> ClientProcess.Kind.of("fal-js")).hasMessageStartingWith("unknown client fal-js");
    }
}
