package dev.imagevision.cli;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClocksTest {
    @Test
    void theEnvironmentCanPinTheClock() {
        assertThat(Clocks.fromEnvironment(Map.of(Clocks.FIXED, "2026-11-01T12:00:00Z")).instant())
                .isEqualTo(Instant.parse("2026-11-01T12:00:00Z"));
        assertThat(Clocks.fromEnvironment(Map.of())).isEqualTo(Clock.systemUTC());
        assertThatThrownBy(() -> Clocks.fromEnvironment(Map.of(Clocks.FIXED, "yesterday")))
                .hasMessageContaining("ISO instant");
    }
}
