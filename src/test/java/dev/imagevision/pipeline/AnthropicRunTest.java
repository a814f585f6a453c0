package dev.imagevision.pipeline;

import dev.imagevision.judgements.Spending;

import dev.imagevision.judgements.ProviderChoice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.vision.anthropic.AnthropicProvider;
import dev.imagevision.vision.anthropic.AnthropicSettings;
import dev.imagevision.vision.anthropic.ApiKey;
import dev.imagevision.vision.anthropic.FakeAnthropic;
import dev.imagevision.vision.anthropic.Prompt;
import dev.imagevision.vision.anthropic.RecordingSleeper;
import dev.imagevision.site.Site;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The score stage with the production Anthropic provider against the fake API: money, faults, batches. */
class AnthropicRunTest {
    static final String KEY = "sk-ant-test-run-KEY-0001";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-07-06T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    FakeAnthropic api;
    ByteArrayOutputStream logBytes;
    PrintStream log;

    @BeforeEach
    void start() throws IOException {
        api = new FakeAnthropic();
        logBytes = new ByteArrayOutputStream();
        log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    static Map<String, Object> config(double soft, double hard, int concurrency) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("provider", "anthropic");
        c.put("cost_soft_usd", soft);
        c.put("cost_hard_usd", hard);
        c.put("concurrency", concurrency);
        return c;
    }

    ProviderChoice choice(Optional<String> key, RecordingSleeper sleeper) {
        AnthropicSettings s = new AnthropicSettings("claude-sonnet-4-6", api.baseUrl(), 1568, 268_402_689L, 1,
                Duration.ofSeconds(10), Duration.ofSeconds(30));
        Optional<ApiKey> k = key.flatMap(v -> ApiKey.find(Map.of(ApiKey.VARIABLE, v), Map.of()));
        return new ProviderChoice(AnthropicProvider.ID, "claude-sonnet-4-6", Prompt.VERSION,
                rec -> new AnthropicProvider(s, k, rec, sleeper, new Random(7), CLOCK, dev.imagevision.testing.Runs.CODEC));
    }

    RunSummary run(Path root, ProviderChoice p, boolean batch) throws IOException {
        ScopeRequest all = new ScopeRequest(null, null, null, null, null, null, true, false);
        return Pipeline.run(Site.load(root), new RunOptions(all, false, false, false, false, p, CLOCK, Progress.NONE,
                log, true, batch, dev.imagevision.testing.Runs.CODEC));
    }

    static JsonNode read(Path file) throws IOException {
        return FakeAnthropic.JSON.readTree(file.toFile());
    }

    static List<JsonNode> ledgerCalls(Path root) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        read(root.resolve("static/data/image-vision-cost-ledger.json")).get("entries").forEach(e -> {
            if (e.has("image_path")) out.add(e);
        });
        return out;
    }

    static long cachedScores(Path root) throws IOException {
        Path scores = root.resolve(".image-cache/scores");
        if (!Files.isDirectory(scores)) return 0;
        try (Stream<Path> s = Files.walk(scores)) {
            return s.filter(f -> f.toString().endsWith(".json")).count();
        }
    }

    /** 4000 input + 500 output tokens: $0.012 + $0.0075 = $0.0195 per call at Sonnet 4.6 prices. */
    FakeAnthropic.Answer nineteenAndAHalfCents() {
        return api.ok(FakeAnthropic.goodInput(), 4000, 500);
    }

    @Test
    void hardHaltAtTheCapStopsNewCallsAndLeavesManifestCacheAndLedgerConsistent() throws IOException {
        TestSite site = new TestSite(dir.resolve("site")).images("juice", 6).write(config(0.02, 0.08, 1));
        api.fallback(body -> nineteenAndAHalfCents());

        RunSummary s = run(site.root, choice(Optional.of(KEY), new RecordingSleeper()), false);

        assertThat(s.halted()).isTrue();
        assertThat(s.exitCode()).isEqualTo(RunSummary.COST_HALT).isEqualTo(dev.imagevision.cli.Main.COST_HALT);
        // each request holds its ceiling ($0.0382) until its reply: after $0.0585 billed the fourth would pass $0.08
        assertThat(api.messageRequests()).hasSize(3);
        assertThat(s.scored()).isEqualTo(3);
        assertThat(s.providerCalls()).isEqualTo(3);
        assertThat(s.costUsd()).isEqualTo(0.0585);
        assertThat(log()).containsOnlyOnce("past the soft limit of $0.02").containsOnlyOnce("would pass the hard limit of $0.08");
        assertThat(s.problems()).filteredOn(p -> p.message().contains("hard cost limit")).hasSize(3);

        // ledger: exactly the three paid calls, to the cent, and no journal left behind
        List<JsonNode> calls = ledgerCalls(site.root);
        assertThat(calls).hasSize(3);
        BigDecimal sum = calls.stream().map(c -> c.get("cost_usd").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(sum).isEqualByComparingTo("0.0585");
        assertThat(calls).allSatisfy(c -> {
            assertThat(c.get("model").asText()).isEqualTo("claude-sonnet-4-6");
            assertThat(c.get("input_tokens").asLong()).isEqualTo(4000);
            assertThat(c.get("output_tokens").asLong()).isEqualTo(500);
            assertThat(c.get("run_id").asText()).startsWith("run-20260706T100000Z-");
            assertThat(c.get("ts").asText()).isEqualTo("2026-07-06T10:00:00.000Z");
        });
        JsonNode ledger = read(site.root.resolve("static/data/image-vision-cost-ledger.json"));
        assertThat(ledger.at("/monthly_totals/2026-07/anthropic").decimalValue()).isEqualByComparingTo("0.0585");
        assertThat(site.root.resolve(".image-cache/" + Spending.JOURNAL)).doesNotExist();

        // cache: the three scores, nothing cached for the images never called
        assertThat(cachedScores(site.root)).isEqualTo(3);
        // manifest: the three scored images, each with its variants on disk; the unscored ones are absent
        JsonNode manifest = read(site.root.resolve("static/data/image-vision.json")).get("entries");
        assertThat(manifest.size()).isEqualTo(3);
        manifest.fields().forEachRemaining(e -> {
            assertThat(e.getValue().get("score").asInt()).isEqualTo(8);
            e.getValue().get("variants").forEach(v -> assertThat(site.root.resolve("static" + v.asText())).exists());
        });
        assertThat(site.root.resolve("static/data/audit-report.html")).exists();

        // a later run with a higher cap scores only the other three, and the ledger grows by three
        site.write(config(0.02, 50, 1));
        RunSummary again = run(site.root, choice(Optional.of(KEY), new RecordingSleeper()), false);
        assertThat(again.halted()).isFalse();
        assertThat(again.exitCode()).isZero();
        assertThat(again.scored()).isEqualTo(3);
        assertThat(again.cached()).isEqualTo(3);
        assertThat(api.messageRequests()).hasSize(6);
        assertThat(ledgerCalls(site.root)).hasSize(6);
        assertThat(ledgerCalls(site.root).stream().map(c -> c.get("call_id").asText()).distinct()).hasSize(6);
    }

    /** The report's "last paid run" sentence. */
    static String lastRunLine(Path report) throws IOException {
        var m = java.util.regex.Pattern.compile("<p class=\"meta run-spend\" id=\"last-run\">(.*?)</p>")
                .matcher(Files.readString(report));
        assertThat(m.find()).as("the report has a last-run line").isTrue();
        return m.group(1);
    }

    static String groupLine(Path report, String group) throws IOException {
        var m = java.util.regex.Pattern.compile("data-group=\"" + java.util.regex.Pattern.quote(group)
                + "\">\\n<header>.*?<p class=\"gstats\">(.*?)</p>", java.util.regex.Pattern.DOTALL)
                .matcher(Files.readString(report));
        assertThat(m.find()).as("group %s in the report", group).isTrue();
        return m.group(1);
    }

    @Test
    void theReportShowsWhatTheLastPaidRunSpentAndARunThatPaysNothingKeepsIt() throws IOException {
        TestSite site = new TestSite(dir.resolve("site")).images("juice", 2).write(config(50, 200, 1));
        api.fallback(body -> nineteenAndAHalfCents());
        Path report = site.root.resolve("static/data/audit-report.html");
        run(site.root, choice(Optional.of(KEY), new RecordingSleeper()), false);
        assertThat(lastRunLine(report)).contains("spent <strong>$0.0390</strong> on 2 images in 2 calls, across 1 group");

        // a second paid run, same pinned clock and process: it is told apart by its run id, and only it counts
        site.images("psyche", 3).write(config(50, 200, 1));
        RunSummary paid = run(site.root, choice(Optional.of(KEY), new RecordingSleeper()), false);
        assertThat(paid.providerCalls()).isEqualTo(3);
        List<JsonNode> calls = ledgerCalls(site.root);
        String secondRun = calls.get(calls.size() - 1).get("run_id").asText();
        assertThat(calls.get(0).get("run_id").asText()).isNotEqualTo(secondRun);
        String line = lastRunLine(report);
        assertThat(line).contains("<code>" + secondRun + "</code>")
                .contains("spent <strong>$0.0585</strong> on 3 images in 3 calls, across 1 group");
        assertThat(groupLine(report, "missions/psyche")).contains("last run $0.0585 on 3 images");
        assertThat(groupLine(report, "missions/juice")).doesNotContain("last run").contains("scores cost $0.0390");

        // a warm run pays nothing and rewrites nothing: the page keeps the paid run's figures
        byte[] before = Files.readAllBytes(report);
        var mtime = Files.getLastModifiedTime(report);
        RunSummary warm = run(site.root, choice(Optional.of(KEY), new RecordingSleeper()), false);
        assertThat(warm.providerCalls()).isZero();
        assertThat(Files.readAllBytes(report)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(report)).isEqualTo(mtime);

        // a run that pays nothing but changes the page (a flag) still shows the last paid run, not $0
        Files.writeString(site.root.resolve("static/data/image-curation.json"), "{\"version\": \"1.0\", \"entries\": "
                + "[{\"path\": \"/images/missions/psyche/01.jpg\", \"reason\": \"wrong probe\", "
                + "\"flaggedAt\": \"2026-07-06T10:00:00.000Z\"}]}");
        RunSummary flagged = run(site.root, choice(Optional.of(KEY), new RecordingSleeper()), false);
        assertThat(flagged.providerCalls()).isZero();
        assertThat(Files.readAllBytes(report)).isNotEqualTo(before);
        assertThat(lastRunLine(report)).isEqualTo(line);

        // `imagevision report` has no run of its own: it shows the same last paid run
        Path copy = site.root.resolve("static/data/audit-copy.html");
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = dev.imagevision.cli.Main.run(java.io.InputStream.nullInputStream(), new java.io.PrintWriter(out),
                new java.io.PrintWriter(err), "report", "--root", site.root.toString(), "--out", copy.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(lastRunLine(copy)).isEqualTo(line);
    }

    @Test
    void aRejectedKeyFailsEveryFreshImageFastWithOneBannerAndCachedScoresAreStillServed() throws IOException {
        TestSite site = new TestSite(dir.resolve("site")).images("juice", 2).write(config(50, 200, 1));
        run(site.root, choice(Optional.of(KEY), new RecordingSleeper()), false);
        site.images("psyche", 3).write(config(50, 200, 1));
        int before = api.messageRequests().size();

        api.then(FakeAnthropic.error(401, "authentication_error", "invalid x-api-key"));
        RunSummary s = run(site.root, choice(Optional.of("sk-ant-wrong"), new RecordingSleeper()), false);

        assertThat(api.messageRequests().size() - before).isEqualTo(1); // the first 401 stops every later call
        assertThat(s.exitCode()).isZero(); // the build never fails closed on a provider result
        assertThat(s.cached()).isEqualTo(2);
        assertThat(s.problems()).filteredOn(p -> p.message().startsWith(AnthropicProvider.KEY_PROBLEM)).hasSize(3);
        assertThat(log()).containsOnlyOnce("!! " + AnthropicProvider.KEY_PROBLEM);
        long failed;
        try (Stream<Path> files = Files.walk(site.root.resolve(".image-cache/scores"))) {
            failed = files.filter(f -> f.toString().endsWith(".json")).map(f -> {
                try {
                    return read(f);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).filter(n -> n.get("failed").asBoolean()).count();
        }
        assertThat(failed).isEqualTo(3);
        JsonNode manifest = read(site.root.resolve("static/data/image-vision.json")).get("entries");
        assertThat(manifest.get("/images/missions/juice/01.jpg").get("score").asInt()).isEqualTo(8);

        // no key at all: the same, and nothing is sent
        int sent = api.messageRequests().size();
        RunSummary none = run(site.root, choice(Optional.empty(), new RecordingSleeper()), false);
        assertThat(api.messageRequests()).hasSize(sent);
        assertThat(none.problems()).filteredOn(p -> p.message().startsWith(AnthropicProvider.KEY_PROBLEM)).hasSize(3);

        // a later run with a good key retries the failed entries
        RunSummary fixed = run(site.root, choice(Optional.of(KEY), new RecordingSleeper()), false);
        assertThat(fixed.scored()).isEqualTo(3);
        assertThat(fixed.problems()).isEmpty();
    }

    @Test
    void aRunWithoutAKeyOverLocalEntriesLeavesTheManifestAndItsHeaderAsTheyWere() throws IOException {
        TestSite site = new TestSite(dir.resolve("site")).images("juice", 3).write(config(50, 200, 1));
        run(site.root, ProviderChoice.of(new dev.imagevision.vision.local.LocalProvider(dev.imagevision.testing.Runs.CODEC, 268_402_689L)), false);
        Path manifestFile = site.root.resolve("static/data/image-vision.json");
        byte[] before = Files.readAllBytes(manifestFile);
        assertThat(read(manifestFile).get("vision_provider").asText()).isEqualTo("local");

        RunSummary none = run(site.root, choice(Optional.empty(), new RecordingSleeper()), false);
        assertThat(none.problems()).filteredOn(p -> p.message().startsWith(AnthropicProvider.KEY_PROBLEM)).hasSize(3);
        // every entry is still local's, so the header must not claim anthropic made them
        JsonNode after = read(manifestFile);
        assertThat(after.get("vision_provider").asText()).isEqualTo("local");
        assertThat(after.get("prompt_version").asText()).isNotEqualTo(Prompt.VERSION);
        assertThat(Files.readAllBytes(manifestFile)).isEqualTo(before);
    }

    @Test
    void theSitesPerRunLedgerKeepsEveryEntryWhenPerCallEntriesAreAppended() throws IOException {
        TestSite site = new TestSite(dir.resolve("site")).images("juice", 2).write(config(50, 200, 1));
        Path ledgerFile = site.root.resolve("static/data/image-vision-cost-ledger.json");
        Files.copy(Path.of("src/test/resources/orrery/cost-ledger.json"), ledgerFile);
        JsonNode before = read(ledgerFile);
        String beforeText = Files.readString(ledgerFile);

        run(site.root, choice(Optional.of(KEY), new RecordingSleeper()), false);

        JsonNode after = read(ledgerFile);
        String afterText = Files.readString(ledgerFile);
        assertThat(after.get("version")).isEqualTo(before.get("version"));
        assertThat(after.get("thresholds")).isEqualTo(before.get("thresholds"));
        int old = before.get("entries").size();
        assertThat(after.get("entries").size()).isEqualTo(old + 2);
        for (int i = 0; i < old; i++) assertThat(after.get("entries").get(i)).isEqualTo(before.get("entries").get(i));
        assertThat(afterText).contains("\"cost_usd\": 8.40441299999999", "\"cost_usd\": 4.63,"); // number text kept
        assertThat(beforeText).contains("8.40441299999999");
        assertThat(after.at("/monthly_totals/2026-05/anthropic").decimalValue()).isEqualByComparingTo("13.33465"); // the four May rows, summed exactly, rounded to 6 places
        assertThat(after.at("/monthly_totals/2026-07/anthropic").decimalValue()).isGreaterThan(BigDecimal.ZERO);
    }

    @Test
    void aBatchSurvivesAKillWhileItIsPolledAndIsCollectedByTheNextRun() throws IOException {
        TestSite site = new TestSite(dir.resolve("site")).images("juice", 3).write(config(50, 200, 1));
        api.pollsUntilEnded(3);
        String erroredPath = site.paths().get(1);

        // first run: submits, polls once (in progress), and is killed while it waits
        assertThatThrownBy(() -> run(site.root, choice(Optional.of(KEY), new RecordingSleeper(1)), true))
                .isInstanceOf(RecordingSleeper.Killed.class);
        assertThat(api.requests("POST", "/v1/messages/batches")).hasSize(1);
        Path pendingDir = site.root.resolve(".image-cache/batches");
        try (Stream<Path> s = Files.list(pendingDir)) {
            assertThat(s.toList()).singleElement().satisfies(f -> assertThat(f.getFileName().toString()).startsWith("msgbatch_"));
        }
        assertThat(cachedScores(site.root)).isZero();

        // the batch holds one request the API could not process: it is retried on its own
        JsonNode submitted = api.requests("POST", "/v1/messages/batches").get(0).body();
        String erroredId = null;
        for (JsonNode r : submitted.get("requests")) {
            if (r.at("/params/messages/0/content/1/text").asText().contains(erroredPath)) erroredId = r.get("custom_id").asText();
        }
        assertThat(erroredId).isNotNull();
        String failing = erroredId;
        api.batchResult((id, params) -> id.equals(failing)
                ? FakeAnthropic.errored("invalid_request_error", "Could not process image")
                : api.succeeded(FakeAnthropic.goodInput(), 2000, 200));

        // second run, a new process: resumes the same batch, never submits again
        RunSummary s = run(site.root, choice(Optional.of(KEY), new RecordingSleeper()), true);
        assertThat(api.requests("POST", "/v1/messages/batches")).hasSize(1);
        assertThat(api.requests("GET", "/v1/messages/batches/")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(api.messageRequests()).hasSize(1); // the errored one, scored individually
        assertThat(s.scored()).isEqualTo(3);
        assertThat(log()).contains("resuming batch msgbatch_");
        try (Stream<Path> files = Files.list(pendingDir)) {
            assertThat(files.toList()).isEmpty();
        }
        JsonNode manifest = read(site.root.resolve("static/data/image-vision.json")).get("entries");
        for (String p : site.paths()) assertThat(manifest.get(p).get("score").asInt()).isEqualTo(8);

        List<JsonNode> calls = ledgerCalls(site.root);
        assertThat(calls).hasSize(3);
        assertThat(calls.stream().filter(c -> c.get("batch").asBoolean())).hasSize(2);
        // batch: 2000 × $3/M + 200 × $15/M = $0.009, half price $0.0045
        assertThat(calls.stream().filter(c -> c.get("batch").asBoolean()).map(c -> c.get("cost_usd").decimalValue()))
                .allSatisfy(c -> assertThat(c).isEqualByComparingTo("0.0045"));
    }

    /** Red team 2: a batch the API only ever answers unreadable 200s about holds its images for a bounded number of runs. */
    @Test
    @org.junit.jupiter.api.Tag("reliability")
    void aBatchWhoseStatusCannotBeReadIsGivenUpByTheThirdRunChargedAndItsImagesScoredAlone() throws IOException {
        TestSite site = new TestSite(dir.resolve("site")).images("juice", 2).write(config(50, 200, 1));
        api.pollAnswer(id -> FakeAnthropic.raw(200, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal\"}}"));
        Path pendingDir = site.root.resolve(".image-cache/batches");

        for (int n = 1; n <= 2; n++) {
            int runNo = n;
            RunSummary s = run(site.root, choice(Optional.of(KEY), new RecordingSleeper()), runNo == 1);
            assertThat(s.exitCode()).as("run " + runNo).isZero();
            assertThat(s.failed()).as("run " + runNo).isEqualTo(2);
            assertThat(s.problems()).as("run " + runNo).allSatisfy(p -> assertThat(p.message())
                    .contains("status poll of batch msgbatch_", "cannot be read", runNo + " of 3 runs"));
            assertThat(s.unconfirmedUsd()).as("run " + runNo).isZero();
            assertThat(site.root.resolve("static/data/image-vision.json")).exists();
            try (Stream<Path> f = Files.list(pendingDir)) {
                assertThat(f.toList()).as("run " + runNo).singleElement(); // kept: its results may still come
            }
        }
        assertThat(api.messageRequests()).isEmpty();

        RunSummary third = run(site.root, choice(Optional.of(KEY), new RecordingSleeper()), false);
        assertThat(third.exitCode()).isZero();
        assertThat(third.scored()).isEqualTo(2); // on their own, at full price
        assertThat(api.messageRequests()).hasSize(2);
        assertThat(api.requests("POST", "/v1/messages/batches")).hasSize(1); // never submitted again
        try (Stream<Path> f = Files.list(pendingDir)) {
            assertThat(f.toList()).isEmpty();
        }
        assertThat(log()).contains("this is the last of 3 runs that may read it, and it is forgotten after this one");
        // the batch may have been billed: each of its requests is in the ledger at its ceiling, once
        List<JsonNode> rows = ledgerCalls(site.root);
        List<JsonNode> ceilings = rows.stream().filter(r -> r.get("call_id").asText().startsWith("unconfirmed:msgbatch_")).toList();
        assertThat(ceilings).hasSize(2).allSatisfy(r -> assertThat(r.get("batch").asBoolean()).isTrue());
        assertThat(rows).hasSize(4);
        BigDecimal charged = ceilings.stream().map(r -> r.get("cost_usd").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(third.unconfirmedUsd()).isCloseTo(charged.doubleValue(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(third.unconfirmedCalls()).isEqualTo(2);

        RunSummary warm = run(site.root, choice(Optional.of(KEY), new RecordingSleeper()), false);
        assertThat(warm.scored()).isZero();
        assertThat(api.messageRequests()).hasSize(2);
    }

    @Test
    void aBatchSubmitsOnlyWhatFitsUnderTheHardLimitAtTheEstimatedBatchPrice() throws IOException {
        // no measured calls yet: 2,500 in + 150 out per image at half price = $0.004875; $0.01 buys two
        TestSite site = new TestSite(dir.resolve("site")).images("juice", 4).write(config(0.005, 0.01, 1));
        RunSummary s = run(site.root, choice(Optional.of(KEY), new RecordingSleeper()), true);
        JsonNode submitted = api.requests("POST", "/v1/messages/batches").get(0).body();
        assertThat(submitted.get("requests")).hasSize(2);
        assertThat(s.scored()).isEqualTo(2);
        assertThat(s.halted()).isTrue();
        assertThat(s.exitCode()).isEqualTo(RunSummary.COST_HALT);
        assertThat(s.costUsd()).isEqualTo(0.0063); // 2 × (1500 × $3/M + 120 × $15/M) at half price
        assertThat(s.problems()).filteredOn(p -> p.message().contains("hard cost limit")).hasSize(2);
        assertThat(log()).contains("2 are submitted, the rest are left for the next run");
    }

    @Test
    void theFreeProviderNeverTouchesTheLedger() throws IOException {
        TestSite site = new TestSite(dir.resolve("site")).images("juice", 2).write(Map.of("provider", "local"));
        Path ledger = site.root.resolve("static/data/image-vision-cost-ledger.json");
        Files.writeString(ledger, "{ not json, and not ours to judge on a free run");
        RunSummary s = run(site.root, ProviderChoice.of(new dev.imagevision.vision.local.LocalProvider(dev.imagevision.testing.Runs.CODEC, 268_402_689L)), false);
        assertThat(s.scored()).isEqualTo(2);
        assertThat(s.costUsd()).isZero();
        assertThat(Files.readString(ledger)).startsWith("{ not json");
        assertThat(site.root.resolve(".image-cache/" + Spending.JOURNAL)).doesNotExist();
    }

    @Test
    void dryRunEstimatesFromTheMeasuredAverageTokensInTheLedger() throws IOException {
        TestSite site = new TestSite(dir.resolve("site")).images("juice", 4).write(config(50, 200, 1));
        // $0.024 per image (and within what such a request can be billed: a larger claim is not a measurement)
        api.fallback(body -> api.ok(FakeAnthropic.goodInput(), 3_000, 1_000));
        run(site.root, choice(Optional.of(KEY), new RecordingSleeper()), false);

        ScopeRequest all = new ScopeRequest(null, null, null, null, null, null, true, false);
        RunSummary dry = Pipeline.run(Site.load(site.root), new RunOptions(all, true, false, false, true,
                choice(Optional.of(KEY), new RecordingSleeper()), CLOCK, Progress.NONE, log, true, false, dev.imagevision.testing.Runs.CODEC));
        assertThat(dry.wouldScore()).isEqualTo(4);
        assertThat(dry.estimatedCostUsd()).isEqualTo(0.10);
        assertThat(dry.estimateBasis()).contains("4 scored images", "3,000 input", "1,000 output");
        RunSummary dryBatch = Pipeline.run(Site.load(site.root), new RunOptions(all, true, false, false, true,
                choice(Optional.of(KEY), new RecordingSleeper()), CLOCK, Progress.NONE, log, true, true, dev.imagevision.testing.Runs.CODEC));
        assertThat(dryBatch.estimatedCostUsd()).isEqualTo(0.05);
        assertThat(api.messageRequests()).hasSize(4); // the dry runs called nothing
    }

    @Test
    void everyRequestCarriesItsJournalIdAndAnErrorReplyIsNotCharged() throws IOException {
        TestSite site = new TestSite(dir.resolve("site")).images("juice", 2).write(config(50, 200, 1));
        api.then(FakeAnthropic.error(529, "overloaded_error", "Overloaded"));
        RecordingSleeper sleeper = new RecordingSleeper();

        RunSummary s = run(site.root, choice(Optional.of(KEY), sleeper), false);

        assertThat(s.scored()).isEqualTo(2);
        var requests = api.messageRequests();
        assertThat(requests).hasSize(3); // a 529, then a reply for each image
        List<String> ids = requests.stream().map(r -> r.header(AnthropicProvider.REQUEST_ID_HEADER)).toList();
        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).startsWith("run-20260706T100000Z-"));
        // the 529 was journaled as not billed: the ledger holds the two replies and no ceiling
        assertThat(ledgerCalls(site.root)).extracting(c -> c.get("call_id").asText())
                .hasSize(2).allSatisfy(id -> assertThat(id).startsWith("msg_fake"));
        assertThat(site.root.resolve(".image-cache/" + Spending.JOURNAL)).doesNotExist();
    }

    /** Issue 13, item 14: what the ledger charges at a ceiling, the summary reports as unconfirmed, not as $0. */
    @Test
    @org.junit.jupiter.api.Tag("reliability")
    void callsChargedTheirCeilingAreInTheSummaryAsInTheLedger() throws IOException {
        TestSite site = new TestSite(dir.resolve("site")).images("juice", 3).write(config(50, 200, 1));
        try (FakeAnthropic dropping = new FakeAnthropic(FakeAnthropic.Wire.HTTP_1_0)) {
            dropping.then(FakeAnthropic.drop(), FakeAnthropic.drop(), FakeAnthropic.drop()); // the first image, 3 attempts
            AnthropicSettings s = new AnthropicSettings("claude-sonnet-4-6", dropping.baseUrl(), 1568, 268_402_689L, 1,
                    Duration.ofSeconds(10), Duration.ofSeconds(30));
            Optional<ApiKey> k = ApiKey.find(Map.of(ApiKey.VARIABLE, KEY), Map.of());
            ProviderChoice p = new ProviderChoice(AnthropicProvider.ID, "claude-sonnet-4-6", Prompt.VERSION,
                    rec -> new AnthropicProvider(s, k, rec, new RecordingSleeper(), new Random(7), CLOCK, dev.imagevision.testing.Runs.CODEC));

            RunSummary summary = run(site.root, p, false);

            assertThat(summary.exitCode()).isZero();
            assertThat(summary.failed()).isEqualTo(1);
            assertThat(summary.costUsd()).isEqualTo(0.0126); // the two images that were answered
            List<JsonNode> rows = ledgerCalls(site.root);
            BigDecimal ceilings = rows.stream().filter(e -> e.get("call_id").asText().startsWith("unconfirmed:"))
                    .map(e -> e.get("cost_usd").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(ceilings).isPositive();
            assertThat(summary.unconfirmedCalls()).isEqualTo(3);
            assertThat(summary.unconfirmedUsd()).isCloseTo(ceilings.doubleValue(), org.assertj.core.data.Offset.offset(1e-9));
            BigDecimal all = rows.stream().map(e -> e.get("cost_usd").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(summary.costUsd() + summary.unconfirmedUsd()).isCloseTo(all.doubleValue(),
                    org.assertj.core.data.Offset.offset(1e-9));
        }
    }
}
