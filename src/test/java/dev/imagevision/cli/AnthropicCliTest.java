package dev.imagevision.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.pipeline.TestSite;
import dev.imagevision.vision.anthropic.FakeAnthropic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code imagevision score} with the Anthropic provider, end to end against the fake API. */
class AnthropicCliTest {
    static final String KEY = "sk-ant-api03-LEAKCHECK-7f3a9c1e5b";
    static final String ENV_KEY = "sk-ant-api03-ENVWINS-0d2e4f6a8c";

    @TempDir
    Path dir;
    FakeAnthropic api;
    final StringBuilder allOutput = new StringBuilder();

    record Result(int code, String out, String err) {}

    @BeforeEach
    void start() throws IOException {
        api = new FakeAnthropic();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** Runs the CLI in-process with its own environment; everything it printed is kept for the leak check. */
    Result score(Map<String, String> env, String... args) {
        InProcess.Result r = InProcess.score(env, args);
        allOutput.append(r.output());
        return new Result(r.code(), r.out(), r.err());
    }

    TestSite site() throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("provider", "anthropic");
        config.put("concurrency", 2);
        return new TestSite(dir.resolve("site")).images("juice", 3).write(config);
    }

    @Test
    void theKeyNeverAppearsInAnyFileLogOrJsonOutput() throws IOException {
        TestSite site = site();
        String root = site.root.toString();
        Files.writeString(site.root.resolve(".env.local"),
                "# local secrets\nANTHROPIC_API_KEY=\"" + KEY + "\"\nANTHROPIC_BASE_URL=" + api.baseUrl() + "\n");

        // key and base URL from .env.local
        Result ok = score(Map.of(), "score", "--root", root, "--all", "--json");
        assertThat(ok.code()).as(ok.err()).isZero();
        JsonNode summary = FakeAnthropic.JSON.readTree(ok.out());
        assertThat(summary.get("scored").asInt()).isEqualTo(3);
        assertThat(summary.get("cost_usd").asDouble()).isEqualTo(0.0189); // 3 × (1500 × $3/M + 120 × $15/M)
        assertThat(api.messageRequests()).allSatisfy(r -> assertThat(r.apiKey()).isEqualTo(KEY));

        // a rejected key whose error message quotes it back, and a bad request that does the same
        api.then(FakeAnthropic.error(401, "authentication_error", "invalid x-api-key: " + KEY));
        Result rejected = score(Map.of(), "score", "--root", root, "--all", "--force-score", "--json", "--verbose");
        assertThat(rejected.code()).isZero();
        assertThat(rejected.err()).contains("ANTHROPIC_API_KEY missing or rejected").contains("[redacted]");
        api.then(FakeAnthropic.error(400, "invalid_request_error", "Could not process image sent with " + KEY));
        score(Map.of(), "score", "--root", root, "--all", "--force-score", "--json", "--verbose");

        // batch mode and a dry run
        Result batch = score(Map.of(), "score", "--root", root, "--all", "--force-score", "--batch", "--json");
        assertThat(batch.code()).as(batch.err()).isZero();
        score(Map.of(), "score", "--root", root, "--all", "--force-score", "--dry-run", "--json");

        // the environment wins over .env.local
        score(Map.of("ANTHROPIC_API_KEY", ENV_KEY), "score", "--root", root, "--all", "--force-score");
        assertThat(api.messageRequests().get(api.messageRequests().size() - 1).apiKey()).isEqualTo(ENV_KEY);

        List<Path> leaking = new ArrayList<>();
        try (Stream<Path> files = Files.walk(site.root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (f.getFileName().toString().equals(".env.local")) continue; // where the user put it
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (text.contains(KEY) || text.contains(ENV_KEY)) leaking.add(f);
            }
        }
        assertThat(leaking).isEmpty();
        assertThat(allOutput.toString()).isNotEmpty().doesNotContain(KEY).doesNotContain(ENV_KEY);
        assertThat(site.root.resolve("static/data/image-vision-cost-ledger.json")).exists();
    }

    @Test
    void noKeyAnywhereFailsEachFreshImageWithOneBannerAndExitsZero() throws IOException {
        TestSite site = site();
        Result r = score(Map.of("ANTHROPIC_BASE_URL", api.baseUrl()), "score", "--root", site.root.toString(), "--all", "--json");
        assertThat(r.code()).isZero();
        assertThat(r.err()).containsOnlyOnce("!! ANTHROPIC_API_KEY missing or rejected");
        JsonNode summary = FakeAnthropic.JSON.readTree(r.out());
        assertThat(summary.get("failed").asInt()).isEqualTo(3);
        assertThat(summary.get("halted").asBoolean()).isFalse();
        assertThat(summary.get("provider_calls").asInt()).isZero();
        assertThat(api.received).isEmpty();
        assertThat(r.err()).contains("cached scores are still served").doesNotContain("\uFFE2"); // UTF-8 intact
    }

    @Test
    void batchNeedsTheAnthropicProvider() throws IOException {
        TestSite site = site();
        Result r = score(Map.of(), "score", "--root", site.root.toString(), "--all", "--batch", "--provider", "local");
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("--batch", "--provider anthropic");
    }

    @Test
    void aWarmRunNeedsNoKeyAndCallsNothing() throws IOException {
        TestSite site = site();
        Map<String, String> env = Map.of("ANTHROPIC_API_KEY", KEY, "ANTHROPIC_BASE_URL", api.baseUrl());
        assertThat(score(env, "score", "--root", site.root.toString(), "--all").code()).isZero();
        int calls = api.messageRequests().size();
        Path ledger = site.root.resolve("static/data/image-vision-cost-ledger.json");
        long modified = Files.getLastModifiedTime(ledger).toMillis();
        Result warm = score(Map.of(), "score", "--root", site.root.toString(), "--all", "--json");
        assertThat(warm.code()).isZero();
        assertThat(api.messageRequests()).hasSize(calls);
        assertThat(FakeAnthropic.JSON.readTree(warm.out()).get("provider_calls").asInt()).isZero();
        assertThat(Files.getLastModifiedTime(ledger).toMillis()).isEqualTo(modified);
    }
}
