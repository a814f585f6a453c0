package dev.imagevision.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.pipeline.TestSite;
import dev.imagevision.vision.anthropic.FakeAnthropic;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task whose first attempt dies after a billed reply was journaled but before its score was kept
 * (spark.task.maxFailures=2: local[2,2]). The second attempt pays again only for that image; every
 * call the API billed is one ledger row, none twice, none lost.
 */
class SparkRetryTest {
    static SparkSession spark;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("local[2,2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void aRetriedTaskPaysOnlyForWhatItsFirstAttemptDidNotKeepAndTheLedgerHoldsEveryBilledCallOnce() throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("provider", "anthropic");
        config.put("concurrency", 1); // one call at a time: the failure falls after exactly three kept scores
        TestSite site = new TestSite(dir.resolve("site")).images("juice", 8).write(config);
        try (FakeAnthropic api = new FakeAnthropic()) {
            FakeProviders.ANSWERED.set(0);
            FakeProviders.FAIL_AFTER.set(4);
            SparkPipeline.Result r = SparkPipeline.run(spark, SparkRuns.options(site.root, SparkRuns.ALL, null, 1,
                    FakeProviders.anthropic(api.baseUrl()), new PrintStream(new ByteArrayOutputStream(), true,
                            StandardCharsets.UTF_8)).withClock(FakeProviders.CLOCK));
            FakeProviders.FAIL_AFTER.set(0);

            assertThat(r.summary().exitCode()).isZero();
            assertThat(r.summary().scored()).isEqualTo(8);
            // 8 images, one of them sent twice: the attempt that paid for it died before keeping its score
            assertThat(api.billed).hasSize(9);
            List<JsonNode> rows = SparkMoneyTest.ledgerCalls(site.root);
            assertThat(rows).hasSize(9);
            assertThat(rows.stream().map(c -> c.get("call_id").asText()).collect(Collectors.toSet()))
                    .isEqualTo(api.billed.stream().map(FakeAnthropic.Billed::messageId).collect(Collectors.toSet()));
            Map<String, Long> perImage = rows.stream().collect(Collectors.groupingBy(c -> c.get("image_path").asText(),
                    Collectors.counting()));
            assertThat(perImage).hasSize(8);
            assertThat(perImage.values().stream().filter(n -> n == 2)).hasSize(1);
            assertThat(r.summary().providerCalls()).isEqualTo(9);
            // two attempts journaled, each in its own folder, both folded and removed
            assertThat(site.root.resolve(".image-cache/" + AttemptJournal.DIR)).satisfiesAnyOf(
                    p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
        }
    }
}
