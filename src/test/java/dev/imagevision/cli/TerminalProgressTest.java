package dev.imagevision.cli;

import dev.imagevision.pipeline.Progress;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalProgressTest {
    @Test
    void aBarShowsOnlyForAPersonAtATerminal() {
        assertThat(TerminalProgress.choose(false, Map.of(), true)).isInstanceOf(TerminalProgress.class);
        assertThat(TerminalProgress.choose(false, Map.of("CI", "true"), true)).isSameAs(Progress.NONE);
        assertThat(TerminalProgress.choose(false, Map.of(), false)).isSameAs(Progress.NONE);
        assertThat(TerminalProgress.choose(true, Map.of(), true)).isSameAs(Progress.NONE);
        assertThat(TerminalProgress.choose(false, Map.of("CI", "false"), true)).isInstanceOf(TerminalProgress.class);
    }

    @Test
    void terminalTextLosesControlCharacters() {
        assertThat(Terminal.clean("ok\u001b[31mred\u0007\u009b")).isEqualTo("ok?[31mred??");
    }
}
