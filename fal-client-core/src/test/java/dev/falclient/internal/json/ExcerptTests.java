package dev.falclient.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one redaction and capping function behind every message built from server data. */
class ExcerptTests {

    private static final String FAL_KEY = "3f2a9c1e-7b4d-4e8a-9c6f-1a2b3c4d5e6f:9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // text                                                   | redacted
            "Authorization: Key abc:def                               | Authorization: [REDACTED]",
            "authorization=Bearer xyz; path=/                         | authorization=[REDACTED]; path=/",
            "{\"Authorization\": \"Key abc:def\", \"host\": \"x\"}    | {\"Authorization\": \"[REDACTED]\", \"host\": \"x\"}",
            "{\"authorization\":[\"Key abc:def\"]}                    | {\"authorization\":[\"[REDACTED]\"]}",
            "Proxy-Authorization: Basic dXNlcjpwYXNz                   | Proxy-Authorization: [REDACTED]",
            "X-Fal-Key: abc:def                                       | X-Fal-Key: [REDACTED]",
            "FAL_KEY=abc:def rest                                     | FAL_KEY=[REDACTED] rest",
            "got Bearer xyz from upstream                             | got Bearer [REDACTED] from upstream",
            "sent Key abc:def                                         | sent Key [REDACTED]",
            "sent Key 0123456789abcdef                                | sent Key [REDACTED]",
            "the key " + FAL_KEY + " leaked                           | the key [REDACTED] leaked",
            "Key not found                                            | Key not found",
            "Request not found                                        | Request not found",
            "request 0b5c7e36-9f1d-4a8e-b2c4-6d0e8f1a3b5c failed      | request 0b5c7e36-9f1d-4a8e-b2c4-6d0e8f1a3b5c failed",
            "see https://docs.fal.ai/errors#image_too_large           | see https://docs.fal.ai/errors#image_too_large",
    })
    void redactsWhatLooksLikeACredentialAndNothingElse(String text, String redacted) {
        assertThat(Excerpt.redact(text)).isEqualTo(redacted);
        // an excerpt is redacted again inside its message
        assertThat(Excerpt.redact(redacted)).isEqualTo(redacted);
    }

    @Test
    void excerptsAreSingleLineAndBounded() {
        assertThat(Excerpt.of("a\r\nb\tc\u2028d\u0085e\u001b[31mf")).isEqualTo("a b c d e [31mf");
        assertThat(Excerpt.of("y".repeat(10_000))).hasSize(300).endsWith("…");
        assertThat(Excerpt.message("z".repeat(10_000))).hasSize(1_000).endsWith("…");
        assertThat(Excerpt.of(null)).isEqualTo("<empty body>");
        assertThat(Excerpt.of(" \n ")).isEqualTo("<empty body>");
        assertThat(Excerpt.message(null)).isEmpty();
    }

    @Test
    void aCredentialCutByTheScanLimitIsNotShownInPart() {
        // redaction shrinks the text so far that the key cut at the scan limit (16,384) would come into view, and
        // the half that is left no longer looks like a key
        String text = "Authorization: " + "a".repeat(16_323) + "\n" + FAL_KEY;
        assertThat(Excerpt.of(text)).startsWith("Authorization: [REDACTED]").doesNotContain("3f2a9c1e")
                .doesNotContain("9d8c7b6a");
    }

    @Test
    void hostileBodiesAreHandledInLinearTime() {
        // a megabyte each: about a second if the search were linear per start position, hours if quadratic
        String dashes = "a-".repeat(500_000);
        String colons = ("abcdefgh:" + "b".repeat(15) + " ").repeat(40_000);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(Excerpt.redact(dashes)).hasSize(dashes.length());
            assertThat(Excerpt.redact(colons)).hasSize(colons.length());
            assertThat(Excerpt.of(dashes)).hasSize(300);
        });
    }
}
