package dev.imagevision.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.pipeline.TestSite;
import dev.imagevision.vision.anthropic.FakeAnthropic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code imagevision score} against an API whose 200s cannot be trusted: one reply the SDK cannot
 * read, one that claims impossible usage. Each fails its image; the run ends normally (exit 0, with
 * manifest and report), the ledger charges those calls their ceilings as unconfirmed and never the
 * claimed figures, and the summary says what the ledger says.
 */
@Tag("reliability")
class MisbehavingApiCliTest {
    @TempDir
    Path dir;
    FakeAnthropic api;

    @BeforeEach
    void start() throws IOException {
        api = new FakeAnthropic();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    Map<String, String> env() {
        return Map.of("ANTHROPIC_API_KEY", "sk-ant-misbehaving-0001", "ANTHROPIC_BASE_URL", api.baseUrl());
    }

    TestSite site() throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("provider", "anthropic");
        config.put("concurrency", 1); // the scripted replies go to the images in order
        return new TestSite(dir.resolve("site")).images("juice", 3).write(config);
    }

    static List<JsonNode> ledgerRows(Path root) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        FakeAnthropic.JSON.readTree(root.resolve("static/data/image-vision-cost-ledger.json").toFile()).get("entries")
                .forEach(rows::add);
        return rows;
    }

    String noUsage() {
        ObjectNode m = api.message(FakeAnthropic.goodInput(), 1500, 120, 0, 0);
        m.remove("usage");
        return m.toString();
    }

    @Test
    void aReplyWithoutUsageAndOneClaimingATrillionTokensFailTheirImagesAndTheRunGoesOn() throws IOException {
        TestSite site = site();
        api.then(FakeAnthropic.raw(200, noUsage()), api.ok(FakeAnthropic.goodInput(), 1_000_000_000_000L, 120));

        InProcess.Result r = InProcess.score(env(), "score", "--root", site.root.toString(), "--all", "--json");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("internal error").contains("answered 200 but its reply cannot be read",
                "claims impossible usage", "unconfirmed");
        JsonNode summary = FakeAnthropic.JSON.readTree(r.out());
        assertThat(summary.get("scored").asInt()).isEqualTo(1);
        assertThat(summary.get("failed").asInt()).isEqualTo(2);
        assertThat(summary.get("manifest").asText()).isNotBlank();
        assertThat(summary.get("report").asText()).isNotBlank();
        assertThat(site.root.resolve(summary.get("manifest").asText())).exists();
        assertThat(site.root.resolve(summary.get("report").asText())).exists();

        // the ledger: the good call at its usage, the two others at their ceilings, nothing at $3,000,000
        List<JsonNode> rows = ledgerRows(site.root);
        assertThat(rows).hasSize(3);
        assertThat(rows).filteredOn(e -> e.get("call_id").asText().startsWith("unconfirmed:")).hasSize(2)
                .allSatisfy(e -> assertThat(e.get("cost_usd").decimalValue()).isLessThan(new BigDecimal("0.10")));
        assertThat(rows).noneSatisfy(e -> assertThat(e.get("input_tokens").asLong()).isEqualTo(1_000_000_000_000L));
        BigDecimal ledgerTotal = rows.stream().map(e -> e.get("cost_usd").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);

        // the summary and the ledger agree
        assertThat(summary.get("cost_usd").asDouble()).isEqualTo(0.0063);
        assertThat(summary.get("unconfirmed_calls").asInt()).isEqualTo(2);
        assertThat(summary.get("cost_usd").asDouble() + summary.get("unconfirmed_usd").asDouble())
                .isCloseTo(ledgerTotal.doubleValue(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.err()).containsPattern("1 provider calls · \\$0\\.0063 \\+ \\$0\\.\\d{4} unconfirmed \\(2 calls");
    }

    @Test
    void aNegativeTokenCountIsNotBadInput() throws IOException {
        TestSite site = site();
        api.then(api.ok(FakeAnthropic.goodInput(), -5, 120));

        InProcess.Result r = InProcess.score(env(), "score", "--root", site.root.toString(), "--all", "--json");

        assertThat(r.code()).as(r.err()).isZero(); // was 2, the code for bad input
        JsonNode summary = FakeAnthropic.JSON.readTree(r.out());
        assertThat(summary.get("scored").asInt()).isEqualTo(2);
        assertThat(summary.get("failed").asInt()).isEqualTo(1);
        assertThat(ledgerRows(site.root)).noneSatisfy(e -> assertThat(e.get("input_tokens").asLong()).isNegative());
    }

    @Test
    void aStalledApiFailsEachImageWithinImageTimeoutSecondsAndTheRunEnds() throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("provider", "anthropic");
        config.put("concurrency", 2);
        config.put("image_timeout_seconds", 1);
        TestSite site = new TestSite(dir.resolve("site")).images("juice", 2).write(config);
        api.fallback(body -> api.ok(FakeAnthropic.goodInput(), 1500, 120).trickled(Duration.ofMillis(100)));

        long start = System.nanoTime();
        InProcess.Result r = InProcess.score(env(), "score", "--root", site.root.toString(), "--all", "--json");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(took).isLessThan(Duration.ofSeconds(20)); // was 3 × 120 s per image
        JsonNode summary = FakeAnthropic.JSON.readTree(r.out());
        assertThat(summary.get("failed").asInt()).isEqualTo(2);
        assertThat(r.err()).contains("no complete answer within the 1 s allowed per image, image_timeout_seconds");
        assertThat(summary.get("unconfirmed_calls").asInt()).isEqualTo(2);
    }
}
