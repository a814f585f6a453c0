package dev.imagevision.spark;

import dev.imagevision.judgements.ProviderChoice;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.ProviderException;
import dev.imagevision.vision.Scored;
import dev.imagevision.vision.VisionProvider;
import dev.imagevision.vision.anthropic.AnthropicProvider;
import dev.imagevision.vision.anthropic.AnthropicSettings;
import dev.imagevision.vision.anthropic.ApiKey;
import dev.imagevision.vision.anthropic.Prompt;
import dev.imagevision.vision.anthropic.RecordingSleeper;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The production Anthropic provider against the in-process fake API, built on the executors as a
 * run's {@link ProviderFactory}; it notes which thread judged each image (the driver must never),
 * and can fail a task once after a given number of answered calls (a task whose first attempt fails).
 */
final class FakeProviders {
    private FakeProviders() {}

    static final String KEY = "sk-ant-test-spark-KEY-0001";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-07-06T10:00:00Z"), ZoneOffset.UTC);
    /** Threads that judged an image, by name. */
    static final List<String> JUDGED_ON = new CopyOnWriteArrayList<>();
    /** Answered calls after which the next answered call's task fails (once); 0: never. */
    static final AtomicInteger FAIL_AFTER = new AtomicInteger();
    static final AtomicInteger ANSWERED = new AtomicInteger();
    /** The thread that runs the driver: a provider used there throws. */
    static volatile Thread driver;

    static ProviderFactory anthropic(String baseUrl) {
        return site -> {
            AnthropicSettings s = new AnthropicSettings("claude-sonnet-4-6", baseUrl, 1568, 268_402_689L,
                    site.config().concurrency(), Duration.ofSeconds(10), Duration.ofSeconds(30));
            Optional<ApiKey> k = ApiKey.find(Map.of(ApiKey.VARIABLE, KEY), Map.of());
            return new ProviderChoice(AnthropicProvider.ID, "claude-sonnet-4-6", Prompt.VERSION,
                    rec -> new Watched(new AnthropicProvider(s, k, rec, new RecordingSleeper(), new Random(7), CLOCK, dev.imagevision.testing.Runs.CODEC)));
        };
    }

    /** Delegates, noting the thread; fails the task once when told to. */
    record Watched(VisionProvider inner) implements VisionProvider {
        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public String model() {
            return inner.model();
        }

        @Override
        public String promptVersion() {
            return inner.promptVersion();
        }

        @Override
        public Scored judge(Path image, ImageContext context) throws ProviderException {
            if (Thread.currentThread() == driver) throw new IllegalStateException("a provider was called on the driver");
            JUDGED_ON.add(Thread.currentThread().getName());
            Scored s = inner.judge(image, context);
            int n = ANSWERED.incrementAndGet();
            // billed and journaled, not yet kept in the score cache: the attempt dies here
            if (n == FAIL_AFTER.get()) throw new IllegalStateException("injected failure after call " + n);
            return s;
        }
    }
}
