package dev.imagevision.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.cli.Failures;
import dev.imagevision.pipeline.TestSite;
import dev.imagevision.vision.anthropic.FakeAnthropic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code imagevision-spark score} as the launcher runs it: score's flags, an embedded session, score's JSON and the engine's. */
class SparkCommandTest {
    @TempDir
    Path dir;

    record Ran(int code, String out, String err) {}

    static Ran run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = Failures.install(new CommandLine(new SparkMain()));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Ran(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void scoreOnTwoLocalCoresPrintsScoresSummaryAndHowSparkRanIt() throws Exception {
        TestSite site = new TestSite(dir.resolve("site")).images("juice", 3).write(Map.of("provider", "local"));
        Ran r = run("score", "--root", site.root.toUri().toString(), "--master", "local[2]", "--partitions", "2",
                "--mission", "juice", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = FakeAnthropic.JSON.readTree(r.out());
        assertThat(j.get("selected").asInt()).isEqualTo(3);
        assertThat(j.get("scored").asInt()).isEqualTo(3);
        assertThat(j.get("cropped").asInt()).isEqualTo(3);
        assertThat(j.get("manifest").asText()).isEqualTo("static/data/image-vision.json");
        assertThat(j.get("engine").asText()).isEqualTo("spark");
        assertThat(j.get("master").asText()).isEqualTo("local[2]");
        assertThat(j.get("partitions").asInt()).isEqualTo(2);
        assertThat(j.get("tasks").asInt()).isEqualTo(4);
        assertThat(r.err()).contains("mission=juice on spark local[2]: 3 in scope · 3 scored");

        // score's usage errors, and what only the CLI can do, are exit 2 with a clear line
        assertThat(run("score", "--root", site.root.toString(), "--force-score", "--skip-scoring").code()).isEqualTo(2);
        Ran git = run("score", "--root", site.root.toString(), "--changed-since", "HEAD~1", "--json");
        assertThat(git.code()).isEqualTo(2);
        assertThat(git.err()).contains("--changed-since needs the site's git work tree");
        assertThat(FakeAnthropic.JSON.readTree(git.out()).get("exit_code").asInt()).isEqualTo(2);
        Ran nope = run("score", "--root", site.root.toString(), "--master", "local[1]", "--segment", "nope");
        assertThat(nope.code()).isEqualTo(2);
        assertThat(nope.err()).contains("nope");

        // a site on this machine takes the CLI's lock: a Spark run beside a CLI run is refused (exit 4)
        try (var held = dev.imagevision.pipeline.RunLock.acquire(site.root.resolve(".image-cache"))) {
            Ran locked = run("score", "--root", site.root.toString(), "--master", "local[1]", "--all");
            assertThat(locked.code()).as(locked.err()).isEqualTo(4);
        }
    }
}
