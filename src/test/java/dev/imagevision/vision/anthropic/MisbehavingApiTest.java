package dev.imagevision.vision.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.vision.PaidCall;
import dev.imagevision.vision.ProviderException;
import dev.imagevision.vision.Scored;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static dev.imagevision.vision.anthropic.AnthropicProviderTest.JUICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Replies no test of ours used to send: numbers outside the rubric. Each fails the one image (after
 * the one stricter re-ask), never the run, and is never repaired into a judgement.
 */
@Tag("reliability")
class MisbehavingApiTest {
    @TempDir
    Path dir;
    FakeAnthropic api;
    RecordingSleeper sleeper;
    List<PaidCall> paid;
    Path image;

    @BeforeEach
    void start() throws IOException {
        api = new FakeAnthropic();
        sleeper = new RecordingSleeper();
        paid = Collections.synchronizedList(new ArrayList<>());
        image = TestImages.write(dir.resolve("static/images/missions/juice/01.jpg"), ".jpg", 800, 600, 1);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    AnthropicProvider provider() {
        AnthropicSettings s = new AnthropicSettings("claude-sonnet-4-6", api.baseUrl(), 1568, 268_402_689L, 4,
                Duration.ofSeconds(10), Duration.ofSeconds(30));
        return new AnthropicProvider(s, Optional.of(AnthropicProviderTest.key(AnthropicProviderTest.TEST_KEY)),
                paid::add, sleeper, new Random(42), AnthropicProviderTest.CLOCK);
    }

    static ObjectNode with(String field, Object value) {
        ObjectNode in = FakeAnthropic.goodInput();
        in.set(field, FakeAnthropic.JSON.valueToTree(value));
        return in;
    }

    // --- numbers outside the rubric (issue 13, item 9) ------------------------------------------

    @Test
    void aScoreOutsideTheRubricIsAskedOnceMoreThenTheImageFailsInsteadOfBecomingATen() {
        api.then(api.ok(with("score", 11), 1500, 120), api.ok(with("score", 11), 1500, 120));
        try (AnthropicProvider p = provider()) {
            assertThatThrownBy(() -> p.judge(image, JUICE)).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.fatal()).isFalse();
                assertThat(e.getMessage()).contains("unusable twice", "score is 11, outside the rubric's 1-10");
            });
        }
        var reqs = api.messageRequests();
        assertThat(reqs).hasSize(2);
        assertThat(reqs.get(1).body().at("/messages/0/content/1/text").asText())
                .contains("Your previous reply could not be used", "score is 11");
        assertThat(paid).hasSize(2); // both replies were billed and are recorded
    }

    @Test
    void everyKindOfOutOfRangeNumberIsReaskedNotRepaired() throws Exception {
        ObjectNode focalOut = FakeAnthropic.goodInput();
        focalOut.putObject("focal_point").put("x", 1.5).put("y", 0.5);
        ObjectNode boxOut = FakeAnthropic.goodInput();
        boxOut.putObject("subject_box").put("x", 0.5).put("y", 0.5).put("w", 0.9).put("h", 0.4);
        List<ObjectNode> bad = List.of(with("score", -3), with("score", 1e308), with("score", "NaN"), with("score", 0),
                focalOut, boxOut);
        for (ObjectNode reply : bad) {
            api.then(api.ok(reply, 1500, 120));
            Scored s;
            try (AnthropicProvider p = provider()) {
                s = p.judge(image, JUICE);
            }
            assertThat(s.judgement().score()).as(reply.toString()).isEqualTo(8); // the good second answer, not a repair
        }
        assertThat(api.messageRequests()).hasSize(2 * bad.size());
    }
}
