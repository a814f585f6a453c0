package dev.imagevision.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.ledger.Prices;
import dev.imagevision.ledger.Tokens;
import dev.imagevision.pipeline.TestSite;
import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.vision.anthropic.FakeAnthropic;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Anthropic provider on Spark against the fake API: calls, the ledger, the hard cap, and the driver's hands. */
class SparkMoneyTest {
    static SparkSession spark;
    @TempDir
    Path dir;
    FakeAnthropic api;
    ByteArrayOutputStream logBytes = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("local[2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @BeforeEach
    void fake() throws Exception {
        api = new FakeAnthropic();
        FakeProviders.JUDGED_ON.clear();
        FakeProviders.driver = Thread.currentThread();
    }

    @AfterEach
    void close() {
        api.close();
        FakeProviders.driver = null;
    }

    static Map<String, Object> config(double hard, int concurrency) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("provider", "anthropic");
        c.put("cost_soft_usd", 0);
        c.put("cost_hard_usd", hard);
        c.put("concurrency", concurrency);
        return c;
    }

    SparkPipeline.Result run(Path root, ScopeRequest scope, int partitions) throws Exception {
        return SparkPipeline.run(spark, SparkRuns.options(root, scope, null, partitions,
                FakeProviders.anthropic(api.baseUrl()), new PrintStream(logBytes, true, StandardCharsets.UTF_8))
                .withClock(FakeProviders.CLOCK));
    }

    static List<JsonNode> ledgerCalls(Path root) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        FakeAnthropic.JSON.readTree(root.resolve("static/data/image-vision-cost-ledger.json").toFile()).get("entries")
                .forEach(e -> {
                    if (e.has("image_path")) out.add(e);
                });
        return out;
    }

    @Test
    void oneCallPerImageTheLedgerIsTheTokenMathAndAWarmRunMakesNoCall() throws Exception {
        TestSite site = new TestSite(dir.resolve("site")).images("juice", 7).images("psyche", 5).write(config(200, 4));
        SparkPipeline.Result r = run(site.root, SparkRuns.ALL, 3);

        assertThat(r.summary().exitCode()).isZero();
        assertThat(r.summary().scored()).isEqualTo(12);
        assertThat(api.messageRequests()).hasSize(12);
        // every request journaled under this run's id, from the attempt that sent it
        assertThat(api.messageRequests()).allSatisfy(q -> assertThat(q.header("x-imagevision-request-id")).startsWith("run-20260706T100000Z-spark-"));
        assertThat(api.maxInFlight()).isLessThanOrEqualTo(4); // one executor: the whole concurrency budget, never more
        BigDecimal perCall = Prices.cost("claude-sonnet-4-6", new Tokens(1500, 120, 0, 0), false);
        List<JsonNode> calls = ledgerCalls(site.root);
        assertThat(calls).hasSize(12);
        assertThat(calls.stream().map(c -> c.get("call_id").asText()).distinct()).hasSize(12);
        assertThat(calls.stream().map(c -> c.get("image_path").asText()).distinct()).hasSize(12);
        assertThat(calls).allSatisfy(c -> {
            assertThat(c.get("cost_usd").decimalValue()).isEqualByComparingTo(perCall);
            assertThat(c.get("run_id").asText()).startsWith("run-20260706T100000Z-spark-");
        });
        assertThat(r.summary().providerCalls()).isEqualTo(12);
        assertThat(BigDecimal.valueOf(r.summary().costUsd())).isEqualByComparingTo(perCall.multiply(BigDecimal.valueOf(12)));
        assertThat(site.root.resolve(".image-cache/" + AttemptJournal.DIR)).satisfiesAnyOf(
                p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
        // the driver judged nothing: every call ran in a task
        assertThat(FakeProviders.JUDGED_ON).hasSize(12).doesNotContain(Thread.currentThread().getName());

        byte[] ledger = Files.readAllBytes(site.root.resolve("static/data/image-vision-cost-ledger.json"));
        SparkPipeline.Result warm = run(site.root, ScopeRequest.defaults(), 3);
        assertThat(warm.summary().providerCalls()).isZero();
        SparkPipeline.Result all = run(site.root, SparkRuns.ALL, 3);
        assertThat(all.summary().cached()).isEqualTo(12);
        assertThat(api.messageRequests()).hasSize(12);
        assertThat(Files.readAllBytes(site.root.resolve("static/data/image-vision-cost-ledger.json"))).isEqualTo(ledger);
    }

    @Test
    void theHardCapAdmitsImagesAtTheirCeilingBeforeAnythingIsSent() throws Exception {
        TestSite site = new TestSite(dir.resolve("site")).images("juice", 10).write(config(0.5, 4));
        BigDecimal ceiling = Admission.ceilingUsd("claude-sonnet-4-6", 320, 240, 1568);
        int fit = BigDecimal.valueOf(0.5).divide(ceiling, 0, java.math.RoundingMode.FLOOR).intValue();
        assertThat(fit).isBetween(1, 9);

        SparkPipeline.Result r = run(site.root, SparkRuns.ALL, 2);
        assertThat(r.summary().halted()).isTrue();
        assertThat(r.summary().exitCode()).isEqualTo(3);
        assertThat(api.messageRequests()).hasSize(fit);
        assertThat(r.summary().scored()).isEqualTo(fit);
        assertThat(r.summary().problems()).filteredOn(p -> p.message().contains("hard cost limit")).hasSize(10 - fit);
        assertThat(ledgerCalls(site.root)).hasSize(fit);

        // the next run continues with the rest
        site.write(config(200, 4));
        SparkPipeline.Result next = run(site.root, ScopeRequest.defaults(), 2);
        assertThat(next.summary().exitCode()).isZero();
        assertThat(next.summary().scored()).isEqualTo(10 - fit);
        assertThat(ledgerCalls(site.root)).hasSize(10);
    }
}
