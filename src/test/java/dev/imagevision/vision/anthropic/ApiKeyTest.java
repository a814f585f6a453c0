package dev.imagevision.vision.anthropic;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyTest {
    static final String KEY = "sk-ant-api03-Qx7Lm2Vb9Rt4Wz8Kp3Nc6Yd1Hs5Fg0Ju";
    final ApiKey key = ApiKey.find(Map.of(ApiKey.VARIABLE, KEY), Map.of()).orElseThrow();

    @Test
    void theWholeKeyAndAnyLongPieceOfItAreRedacted() {
        assertThat(key.redact("invalid x-api-key: " + KEY + ".")).isEqualTo("invalid x-api-key: [redacted].");
        assertThat(key.redact("key Qx7Lm2Vb9Rt4Wz8Kp3Nc6Yd1Hs5Fg0Ju rejected")).isEqualTo("key [redacted] rejected");
        assertThat(key.redact("key " + KEY.substring(0, 30) + "… rejected")).isEqualTo("key sk-ant-api03-[redacted]… rejected");
        assertThat(key.redact("prefix sk-ant-api03 is fine")).isEqualTo("prefix sk-ant-api03 is fine"); // 12 chars, but nothing secret
        assertThat(key.redact("short Qx7Lm2Vb9Rt stays")).isEqualTo("short Qx7Lm2Vb9Rt stays"); // 11 characters
        assertThat(key.toString()).doesNotContain(KEY.substring(13, 25));
    }

    @Property(tries = 300, seed = "12")
    void noTwelveCharactersOfTheSecretSurviveRedaction(@ForAll @IntRange(min = 0, max = 36) int from,
                                                    @ForAll @IntRange(min = 12, max = 48) int length,
                                                    @ForAll String around) {
        String piece = KEY.substring(from, Math.min(KEY.length(), from + length));
        String out = key.redact(around + piece + around);
        String secret = KEY.substring("sk-ant-api03-".length());
        assertThat(key.secret()).isEqualTo(secret);
        for (int i = 0; i + 12 <= secret.length(); i++) assertThat(out).doesNotContain(secret.substring(i, i + 12));
    }
}
