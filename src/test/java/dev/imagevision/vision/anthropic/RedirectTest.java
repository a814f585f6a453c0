package dev.imagevision.vision.anthropic;

import dev.imagevision.vision.ProviderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;

import static dev.imagevision.vision.anthropic.AnthropicProviderTest.JUICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The API never redirects; a gateway, a moved host or a wrong {@code ANTHROPIC_BASE_URL} does. Followed,
 * a 307 loop re-sent a paid request up to 21 times per attempt (each charged its ceiling), and a 301
 * turned the POST into a GET whose answer, from wherever it pointed, was taken for a judgement. A
 * redirect is never followed: it fails the image, naming where it pointed, and is not charged.
 */
@Tag("reliability")
class RedirectTest {
    @TempDir
    Path dir;
    FakeAnthropic api;
    RecordingRecorder recorder;
    Path image;

    @BeforeEach
    void start() throws IOException {
        api = new FakeAnthropic();
        recorder = new RecordingRecorder();
        image = TestImages.write(dir.resolve("static/images/missions/juice/01.jpg"), ".jpg", 800, 600, 1);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    AnthropicProvider provider() {
        AnthropicSettings s = new AnthropicSettings("claude-sonnet-4-6", api.baseUrl(), 1568, 268_402_689L, 4,
                Duration.ofSeconds(10), Duration.ZERO);
        return new AnthropicProvider(s, Optional.of(AnthropicProviderTest.key(AnthropicProviderTest.TEST_KEY)),
                recorder, new RecordingSleeper(), new Random(42), AnthropicProviderTest.CLOCK,
                dev.imagevision.testing.Runs.CODEC);
    }

    @Test
    void aRedirectLoopIsOneUnchargedRequestAndFailsTheImageNamingWhereItPointed() {
        String loop = api.baseUrl() + "/v1/messages";
        api.fallback(body -> FakeAnthropic.redirect(307, loop));
        try (AnthropicProvider p = provider()) {
            assertThatThrownBy(() -> p.judge(image, JUICE)).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.fatal()).isFalse();
                assertThat(e.imageFault()).isFalse(); // a later run, with the address fixed, asks again
                assertThat(e.getMessage()).contains("HTTP 307", "redirect", loop, "ANTHROPIC_BASE_URL");
            });
        }
        assertThat(api.messageRequests()).hasSize(1); // not followed, not retried: it would only say the same
        assertThat(recorder.unbilled).hasSize(1);
        assertThat(recorder.unconfirmed).isEmpty();
        assertThat(recorder.paid).isEmpty();
        assertThat(recorder.open).isEmpty();
    }

    @Test
    void whatAMovedAddressAnswersIsNeverTakenForAJudgement() {
        String moved = api.baseUrl() + "/v1/messages/moved";
        api.then(FakeAnthropic.redirect(301, moved));
        // followed, the POST becomes a GET, and what answers it there looks like a judgement
        api.elsewhere(r -> api.ok(FakeAnthropic.goodInput(), 1500, 120));
        try (AnthropicProvider p = provider()) {
            assertThatThrownBy(() -> p.judge(image, JUICE)).isInstanceOfSatisfying(ProviderException.class,
                    e -> assertThat(e.getMessage()).contains("HTTP 301", moved));
        }
        assertThat(api.received).extracting(FakeAnthropic.Received::path).containsExactly("/v1/messages");
        assertThat(recorder.paid).isEmpty();
        assertThat(recorder.unconfirmed).isEmpty();
        assertThat(recorder.unbilled).hasSize(1);
    }
}
