package dev.imagevision.vision.anthropic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DotEnvTest {
    @Test
    void readsTheLinesDotenvToolsWrite() {
        Map<String, String> v = DotEnv.parse("""
                # secrets for local runs\r
                ANTHROPIC_API_KEY=sk-ant-one\r
                export ANTHROPIC_BASE_URL="http://127.0.0.1:9999"
                QUOTED='a # not a comment'
                TRAILING=value # comment
                EMPTY=
                not a line
                =nokey
                """);
        assertThat(v).containsEntry("ANTHROPIC_API_KEY", "sk-ant-one")
                .containsEntry("ANTHROPIC_BASE_URL", "http://127.0.0.1:9999")
                .containsEntry("QUOTED", "a # not a comment")
                .containsEntry("TRAILING", "value")
                .containsEntry("EMPTY", "")
                .hasSize(5);
    }

    @Test
    void theEnvironmentWinsOverDotEnvLocal(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve(".env.local"), "ANTHROPIC_API_KEY=from-file\n");
        Map<String, String> file = DotEnv.read(root);
        assertThat(ApiKey.find(Map.of(), file).orElseThrow().source()).isEqualTo(".env.local");
        assertThat(ApiKey.find(Map.of("ANTHROPIC_API_KEY", "from-env"), file).orElseThrow().source()).isEqualTo("the environment");
        assertThat(ApiKey.find(Map.of("ANTHROPIC_API_KEY", "  "), Map.of())).isEmpty();
        assertThat(DotEnv.read(root.resolve("nowhere"))).isEmpty();
    }

    @Test
    void aKeyIsNeverShownAndIsScrubbedFromText() {
        ApiKey k = ApiKey.find(Map.of("ANTHROPIC_API_KEY", "sk-ant-secret-123"), Map.of()).orElseThrow();
        assertThat(k.toString()).doesNotContain("secret");
        assertThat(k.redact("bad key sk-ant-secret-123 here")).isEqualTo("bad key [redacted] here");
        assertThat(k.wellFormed()).isTrue();
        assertThat(ApiKey.find(Map.of("ANTHROPIC_API_KEY", "sk-ant \"x\""), Map.of()).orElseThrow().wellFormed()).isFalse();
    }
}
