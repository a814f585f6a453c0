package dev.imagevision.pipeline;

import dev.imagevision.judgements.ProviderChoice;

import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.site.Site;
import dev.imagevision.vision.anthropic.AnthropicProvider;
import dev.imagevision.vision.anthropic.AnthropicSettings;
import dev.imagevision.vision.anthropic.ApiKey;
import dev.imagevision.vision.anthropic.FakeAnthropic;
import dev.imagevision.vision.anthropic.Prompt;
import dev.imagevision.vision.anthropic.Sleeper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throughput of the score stage with the production provider: 200 images against the fake API
 * answering each call after 3 s, at concurrency 8. Ideal: 200 / 8 × 3 s = 75 s. Not a unit test
 * (it takes over a minute and measures time); run it with
 * {@code mvn -B -o test -Dsurefire.groups=bench -Dsurefire.excludedGroups= -Dtest=ProviderThroughputBench}.
 * It prints the figures and writes them to {@code target/bench/provider.json}; it asserts only
 * that every image was scored and that no more than 8 requests were ever in flight.
 */
@Tag("bench")
class ProviderThroughputBench {
    /*
     * Two figures: a cold run (a fresh JVM: the SDK's first request loads and reflects over a few
     * thousand classes, seconds on a busy machine) and a warm one (the same run after the SDK has
     * served one request, as in a long-lived process). The API's busy span shows the steady state.
     */
    static final int IMAGES = 200;
    static final int CONCURRENCY = 8;
    static final Duration LATENCY = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    @Test
    void twoHundredImagesAtConcurrencyEight() throws IOException {
        String cold = once(false);
        String warm = once(true);
        String json = "{\"cold\": " + cold + ", \"warm\": " + warm + "}";
        System.out.println("provider bench: " + json);
        Files.createDirectories(Path.of("target/bench"));
        Files.writeString(Path.of("target/bench/provider.json"), json + "\n");
    }

    private String once(boolean warmUp) throws IOException {
        Path root = dir.resolve(warmUp ? "warm" : "cold");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("provider", "anthropic");
        config.put("concurrency", CONCURRENCY);
        TestSite site = new TestSite(root).images("juice", IMAGES).write(config);
        try (FakeAnthropic api = new FakeAnthropic().latency(LATENCY)) {
            AnthropicSettings s = new AnthropicSettings("claude-sonnet-4-6", api.baseUrl(), 1568, 268_402_689L,
                    CONCURRENCY, Duration.ofSeconds(30), Duration.ofSeconds(30));
            ProviderChoice choice = new ProviderChoice(AnthropicProvider.ID, "claude-sonnet-4-6", Prompt.VERSION,
                    rec -> new AnthropicProvider(s, ApiKey.find(Map.of(ApiKey.VARIABLE, "sk-ant-bench"), Map.of()), rec,
                            Sleeper.REAL, new Random(1), Clock.systemUTC(), dev.imagevision.testing.Runs.CODEC));
            ScopeRequest all = new ScopeRequest(null, null, null, null, null, null, true, false);
            PrintStream log = new PrintStream(System.err, true, StandardCharsets.UTF_8);
            RunOptions o = new RunOptions(all, false, false, true, false, choice, Clock.systemUTC(), Progress.NONE, log,
                    false, false, dev.imagevision.testing.Runs.CODEC);

            if (warmUp) {
                Path one = dev.imagevision.vision.anthropic.TestImages.write(dir.resolve("warm-up.jpg"), ".jpg", 64, 48, 999);
                try (AnthropicProvider p = new AnthropicProvider(s, ApiKey.find(Map.of(ApiKey.VARIABLE, "k"), Map.of()),
                        dev.imagevision.vision.CallRecorder.NONE, Sleeper.REAL, new Random(1), Clock.systemUTC(), dev.imagevision.testing.Runs.CODEC)) {
                    p.judge(one, dev.imagevision.vision.ImageContext.bare("/warm-up.jpg"));
                } catch (dev.imagevision.vision.ProviderException e) {
                    throw new IllegalStateException(e);
                }
                api.resetTimings();
            }
            long t0 = System.nanoTime();
            RunSummary r = Pipeline.run(Site.load(site.root), o);
            double wall = (System.nanoTime() - t0) / 1e9;

            double ideal = Math.ceil((double) IMAGES / CONCURRENCY) * LATENCY.toMillis() / 1000.0;
            double busy = api.busySpan().toMillis() / 1000.0;
            double startup = (api.firstArrivalNanos() - t0) / 1e9;
            String json = String.format(Locale.ROOT, "{\"images\": %d, \"concurrency\": %d, \"latency_s\": %.1f, "
                            + "\"ideal_s\": %.1f, \"wall_s\": %.2f, \"ratio\": %.3f, \"api_busy_s\": %.2f, "
                            + "\"busy_ratio\": %.3f, \"until_first_request_s\": %.2f, \"max_in_flight\": %d, \"scored\": %d, "
                            + "\"load_average\": %.2f}",
                    IMAGES, CONCURRENCY, LATENCY.toMillis() / 1000.0, ideal, wall, wall / ideal, busy, busy / ideal, startup,
                    api.maxInFlight(), r.scored(), java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            assertThat(r.scored()).isEqualTo(IMAGES);
            assertThat(api.maxInFlight()).isLessThanOrEqualTo(CONCURRENCY);
            return json;
        }
    }
}
