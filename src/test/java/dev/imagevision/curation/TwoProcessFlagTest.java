package dev.imagevision.curation;

import dev.imagevision.fixtures.SiteFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Two {@code imagevision flag} processes at once on one site: every flag of both ends up in the file. */
class TwoProcessFlagTest {
    static final int PER_PROCESS = 30;

    static String path(int i) {
        return String.format("/images/missions/m%d/%03d.jpg", i % 4, i);
    }

    @Test
    void twoFlagProcessesAtOnceLoseNothing(@TempDir Path root) throws Exception {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 2 * PER_PROCESS; i++) paths.add(path(i));
        SiteFixtures.writeSite(root, paths, Map.of());

        Process a = child(root, 0, PER_PROCESS);
        Process b = child(root, PER_PROCESS, 2 * PER_PROCESS);
        assertThat(a.waitFor(120, TimeUnit.SECONDS)).as("first flag process finished").isTrue();
        assertThat(b.waitFor(120, TimeUnit.SECONDS)).as("second flag process finished").isTrue();
        String errA = new String(a.getErrorStream().readAllBytes());
        String errB = new String(b.getErrorStream().readAllBytes());
        assertThat(a.exitValue()).as(errA).isZero();
        assertThat(b.exitValue()).as(errB).isZero();

        Curation c = CurationFile.read(root.resolve("static/data/image-curation.json"));
        assertThat(c.entries()).hasSize(2 * PER_PROCESS);
        for (int i = 0; i < 2 * PER_PROCESS; i++) {
            assertThat(c.entry(path(i))).as(path(i)).hasValueSatisfying(e -> assertThat(e.flagged()).isTrue());
        }
    }

    static Process child(Path root, int from, int to) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(java, "-cp", cp, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                FlagLoop.class.getName(), root.toString(), String.valueOf(from), String.valueOf(to))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
