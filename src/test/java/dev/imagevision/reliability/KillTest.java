package dev.imagevision.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.imagevision.cli.InProcess;
import dev.imagevision.testing.Cli;
import dev.imagevision.testing.SampleSite;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL at random moments (fixed seed): after every kill the files a person commits parse,
 * and a re-run finishes the job with outputs byte-identical to an uninterrupted run's.
 */
@Tag("reliability")
class KillTest {
    static final int KILLS = 20;
    static final ObjectMapper JSON = new ObjectMapper();

    /** A sample site cut down to its smallest images so twenty kills and re-runs stay quick. */
    static Path smallSite(Path dir, int images) throws Exception {
        Path site = SampleSite.copyTo(dir);
        Path prov = site.resolve("static/data/image-provenance.json");
        JsonNode tree = JSON.readTree(prov.toFile());
        List<JsonNode> rows = new ArrayList<>();
        tree.get("entries").forEach(rows::add);
        rows.sort(Comparator.comparingLong(r -> size(site, r.get("path").asText())));
        ArrayNode kept = JSON.createArrayNode();
        rows.stream().limit(images).forEach(kept::add);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree).set("entries", kept);
        Files.write(prov, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree));
        Files.writeString(site.resolve("static/data/image-curation.json"), """
                {"version": "1.0", "entries": [{"path": "%s", "reason": "Test flag", "flaggedAt": "2026-10-01T00:00:00.000Z"}]}
                """.formatted(kept.get(1).get("path").asText()));
        return site;
    }

    static long size(Path site, String path) {
        try {
            return Files.size(site.resolve("static" + path));
        } catch (Exception e) {
            return Long.MAX_VALUE;
        }
    }

    /** What a person would commit or open: everything but the cache. */
    static Map<String, byte[]> outputs(Path site) {
        Map<String, byte[]> all = SampleSite.snapshot(site, false);
        all.keySet().removeIf(k -> k.endsWith(".malformed"));
        return all;
    }

    @Test
    void killedLocalRunsLoseNothingAndFinishIdentically(@TempDir Path dir) throws Exception {
        Path reference = smallSite(dir.resolve("reference"), 8);
        File log = dir.resolve("log.txt").toFile();
        long t0 = System.nanoTime();
        assertThat(Cli.run(reference, Map.of(), log, "score", "--root", ".", "--provider", "local")).isZero();
        long fullMillis = (System.nanoTime() - t0) / 1_000_000;
        Map<String, byte[]> expected = outputs(reference);
        byte[] curation = Files.readAllBytes(reference.resolve("static/data/image-curation.json"));

        Random random = new Random(2026);
        int killedMidRun = 0;
        for (int i = 0; i < KILLS; i++) {
            Path site = smallSite(dir.resolve("kill-" + i), 8);
            Process p = Cli.command(site, Map.of(), "score", "--root", ".", "--provider", "local")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("kill-" + i + ".log").toFile()).start();
            long delay = (long) (random.nextDouble() * fullMillis);
            if (!p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly(); // SIGKILL
                killedMidRun++;
            }
            p.waitFor();

            // what was left must be readable
            Outputs.assertReadable(site, "after kill " + i);
            assertThat(Files.readAllBytes(site.resolve("static/data/image-curation.json"))).isEqualTo(curation);

            // and a re-run finishes the job exactly as an uninterrupted run (a process) did; the re-run
            // only has to finish, so it runs in this JVM: a process start costs seconds
            InProcess.Result rerun = InProcess.score(Map.of("CI", "true", "IMAGEVISION_FIXED_CLOCK", Cli.FIXED_CLOCK),
                    "score", "--root", site.toString(), "--provider", "local");
            assertThat(rerun.code()).as("re-run %d after a kill at %d ms; its output:%n%s", i, delay, rerun.output()).isZero();
            Map<String, byte[]> actual = outputs(site);
            assertThat(actual.keySet()).as("files after kill " + i).isEqualTo(expected.keySet());
            for (var e : expected.entrySet()) {
                assertThat(actual.get(e.getKey())).as(e.getKey() + " after kill " + i + " at " + delay + " ms").isEqualTo(e.getValue());
            }
        }
        System.out.printf("local kill test: %d of %d kills landed while the run worked, every re-run identical; "
                + "uninterrupted run %d ms%n", killedMidRun, KILLS, fullMillis);
        assertThat(killedMidRun).as("most kills land while the run is working").isGreaterThan(KILLS / 2);
    }
}
