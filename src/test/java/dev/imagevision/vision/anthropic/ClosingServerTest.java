package dev.imagevision.vision.anthropic;

import dev.imagevision.vision.ImageContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that closes the connection after every reply (HTTP/1.0, as some proxies and gateways
 * answer; {@code ANTHROPIC_BASE_URL} points at such things): 82 images through the production
 * provider, four at a time, as a run sends them. A connection the server closed is never a lost
 * attempt, and no request is left without an answer (which the ledger would charge its ceiling).
 */
@Tag("reliability")
class ClosingServerTest {
    static final int IMAGES = 82;

    @TempDir
    Path dir;

    /** Scores {@value #IMAGES} images four at a time; returns the failure messages. */
    List<String> scoreAll(FakeAnthropic api, RecordingRecorder journal, RecordingSleeper sleeper) throws Exception {
        Path image = TestImages.write(dir.resolve("a.jpg"), ".jpg", 200, 150, 1);
        AnthropicSettings s = new AnthropicSettings("claude-sonnet-4-6", api.baseUrl(), 1568, 268_402_689L, 4,
                Duration.ofSeconds(10), Duration.ofSeconds(30));
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try (AnthropicProvider p = new AnthropicProvider(s, Optional.of(AnthropicProviderTest.key("sk-ant-closing")),
                journal, sleeper, new Random(5), AnthropicProviderTest.CLOCK, dev.imagevision.testing.Runs.CODEC)) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < IMAGES; i++) {
                ImageContext ctx = new ImageContext("/images/missions/m" + i + "/01.jpg", "missions", "m" + i, "ESA",
                        "MARS", "ACTIVE", List.of());
                done.add(workers.submit(() -> {
                    try {
                        p.judge(image, ctx);
                    } catch (Exception e) {
                        failures.add(ctx.path() + ": " + e.getMessage());
                    }
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            workers.shutdown();
        }
        return failures;
    }

    @Test
    void everyImageIsScoredWhenEveryReplyIsA200() throws Exception {
        RecordingRecorder journal = new RecordingRecorder();
        try (FakeAnthropic api = new FakeAnthropic(FakeAnthropic.Wire.HTTP_1_0)) {
            assertThat(scoreAll(api, journal, new RecordingSleeper())).isEmpty();
            assertThat(api.messageRequests()).hasSize(IMAGES); // nothing was sent into a dead connection
        }
        assertThat(journal.paid).hasSize(IMAGES);
        assertThat(journal.open).isEmpty(); // no request is left to be charged its ceiling
    }

    @Test
    void everyImageIsScoredWhenTheServerFirstAnswers529Then429WithRetryAfter() throws Exception {
        RecordingRecorder journal = new RecordingRecorder();
        RecordingSleeper sleeper = new RecordingSleeper();
        try (FakeAnthropic api = new FakeAnthropic(FakeAnthropic.Wire.HTTP_1_0)) {
            Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
            api.fallback(body -> {
                String page = body.at("/messages/0/content/1/text").asText();
                return switch (asked.computeIfAbsent(page, k -> new AtomicInteger()).incrementAndGet()) {
                    case 1 -> FakeAnthropic.error(529, "overloaded_error", "Overloaded");
                    case 2 -> FakeAnthropic.error(429, "rate_limit_error", "Number of requests has exceeded your rate limit",
                            "retry-after", "1");
                    default -> api.ok(FakeAnthropic.goodInput(), 1500, 120);
                };
            });
            assertThat(scoreAll(api, journal, sleeper)).isEmpty();
            assertThat(api.messageRequests()).hasSize(3 * IMAGES);
        }
        assertThat(journal.paid).hasSize(IMAGES);
        assertThat(journal.unbilled).hasSize(2 * IMAGES);
        assertThat(journal.open).isEmpty();
        // one backoff after the 529 and the asked-for wait after the 429 per image: no attempt lost to the wire
        assertThat(sleeper.waits).hasSize(2 * IMAGES);
        assertThat(sleeper.waits).filteredOn(d -> d.compareTo(Duration.ofSeconds(1)) >= 0).hasSizeGreaterThanOrEqualTo(IMAGES);
    }
}
