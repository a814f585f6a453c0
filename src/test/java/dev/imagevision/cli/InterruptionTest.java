package dev.imagevision.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parts of an orderly stop that need no signal: the grace period, the one object, the ending's shape. */
class InterruptionTest {
    @Test
    void theGracePeriodIsTenSecondsUnlessTheEnvironmentSaysOtherwiseWithinBounds() {
        assertThat(Interruption.grace(Map.of())).isEqualTo(Duration.ofSeconds(10));
        assertThat(Interruption.grace(Map.of("IMAGEVISION_STOP_SECONDS", " 3 "))).isEqualTo(Duration.ofSeconds(3));
        assertThat(Interruption.grace(Map.of("IMAGEVISION_STOP_SECONDS", "0"))).isEqualTo(Duration.ZERO);
        for (String bad : new String[] {"-1", "3601", "ten", "1.5"}) {
            assertThatThrownBy(() -> Interruption.grace(Map.of("IMAGEVISION_STOP_SECONDS", bad)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IMAGEVISION_STOP_SECONDS=" + bad);
        }
    }

    @Test
    void anAbandonedCommandPrintsItsObjectOnlyWhenItHadPrintedNothingAndNothingAfterIt() throws Exception {
        StringWriter quiet = new StringWriter();
        Interruption.OneObject gate = new Interruption.OneObject(quiet);
        gate.last("{\"error\":\"interrupted\"}");
        gate.write("{\"late\":true}\n");
        assertThat(quiet.toString().strip()).isEqualTo("{\"error\":\"interrupted\"}");

        StringWriter done = new StringWriter();
        Interruption.OneObject finished = new Interruption.OneObject(done);
        finished.write("{\"selected\":1}\n");
        finished.last("{\"error\":\"interrupted\"}");
        assertThat(done.toString()).isEqualTo("{\"selected\":1}\n");
    }

    @Test
    void theInterruptedEndingNamesTheSignalAndTheShellsExitCode() throws Exception {
        JsonNode term = new ObjectMapper().readTree(Failures.interruptedJson(Interruption.Stop.SIGTERM, "m"));
        assertThat(term.get("error").asText()).isEqualTo("interrupted");
        assertThat(term.get("exit_code").asInt()).isEqualTo(143);
        assertThat(term.get("signal").asText()).isEqualTo("SIGTERM");
        assertThat(new ObjectMapper().readTree(Failures.interruptedJson(Interruption.Stop.SIGINT, "m")).get("exit_code").asInt())
                .isEqualTo(130);
    }
}
