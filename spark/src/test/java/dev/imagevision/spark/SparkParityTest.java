package dev.imagevision.spark;

import dev.imagevision.pipeline.RunSummary;
import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.testing.Runs;
import dev.imagevision.testing.SampleSite;
import dev.imagevision.vision.local.LocalProvider;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample site scored with the offline provider by the CLI's pipeline and by Spark in local[2]:
 * the published files (manifest, variants, report, preview) are the same bytes however the work is
 * partitioned, and a warm Spark run sends nothing and rewrites nothing.
 */
class SparkParityTest {
    static SparkSession spark;
    @TempDir
    static Path dir;
    static Map<String, String> cli;

    @BeforeAll
    static void start() throws Exception {
        spark = LocalSpark.start("local[2]");
        Path site = SampleSite.copyTo(Files.createDirectories(dir.resolve("cli")));
        RunSummary s = Runs.score(site, new LocalProvider(Runs.CODEC, dev.imagevision.site.SiteConfig.DEFAULT_MAX_INPUT_PIXELS),
                SparkRuns.ALL, false, false, false);
        assertThat(s.exitCode()).isZero();
        cli = SparkRuns.outputs(site);
        // what is compared: the manifest, report, preview and every variant, besides the untouched sources
        assertThat(cli).containsKeys("static/data/image-vision.json", "static/data/audit-report.html",
                "static/data/preview.html");
        assertThat(cli.keySet().stream().filter(k -> k.endsWith(".16x9.jpg"))).hasSize(29);
        assertThat(Files.readString(site.resolve("static/data/audit-report.html"))).doesNotContain("no preview");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void oneTaskWritesWhatTheCliWritesAndAWarmRunSendsNothing() throws Exception {
        Path site = SampleSite.copyTo(Files.createDirectories(dir.resolve("one")));
        SparkPipeline.Result r = SparkRuns.local(spark, site, SparkRuns.ALL, 1);
        assertThat(r.summary().exitCode()).isZero();
        assertThat(r.summary().scored()).isEqualTo(29);
        assertThat(r.tasks()).isEqualTo(2); // one per phase
        assertThat(SparkRuns.outputs(site)).isEqualTo(cli);

        Map<String, Long> before = SampleSite.mtimes(site);
        SparkPipeline.Result warm = SparkRuns.local(spark, site, ScopeRequest.defaults(), 2);
        assertThat(warm.summary().selected()).isZero();
        assertThat(warm.summary().providerCalls()).isZero();
        assertThat(warm.tasks()).isEqualTo(2); // the facts only: nothing to judge or cut
        assertThat(SparkRuns.outputs(site)).isEqualTo(cli);
        assertThat(SampleSite.mtimes(site)).isEqualTo(before);
    }

    @Test
    void manyTasksWriteWhatTheCliWrites() throws Exception {
        Path site = SampleSite.copyTo(Files.createDirectories(dir.resolve("seven")));
        SparkPipeline.Result r = SparkRuns.local(spark, site, SparkRuns.ALL, 7);
        assertThat(r.summary().scored()).isEqualTo(29);
        assertThat(r.tasks()).isEqualTo(14);
        assertThat(SparkRuns.outputs(site)).isEqualTo(cli);
        // the whole corpus again: every score cached, every variant up to date, nothing rewritten
        Map<String, Long> before = SampleSite.mtimes(site);
        SparkPipeline.Result again = SparkRuns.local(spark, site, SparkRuns.ALL, 3);
        assertThat(again.summary().cached()).isEqualTo(29);
        assertThat(again.summary().providerCalls()).isZero();
        assertThat(again.summary().cropped()).isZero();
        assertThat(SampleSite.mtimes(site)).isEqualTo(before);
    }
}
