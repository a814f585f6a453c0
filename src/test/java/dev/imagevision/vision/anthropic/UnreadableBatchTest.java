package dev.imagevision.vision.anthropic;

import dev.imagevision.vision.BatchJudge;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.ProviderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A batch the API (or a gateway in front of it) answers about with 200s that are not what was asked:
 * an error object instead of the batch, a page that is not JSON, result lines that are not results.
 * Asked again within the call, then reported as {@link BatchJudge.Unreadable} (nothing decided, nothing
 * charged) so the caller can try a later run; on the caller's last try the batch is settled: what can
 * be read is used, every other request fails and is charged its ceiling, since it may have been billed.
 */
@Tag("reliability")
class UnreadableBatchTest {
    static final String ERROR_UNDER_200 = "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}";

    @TempDir
    Path dir;
    FakeAnthropic api;
    RecordingRecorder recorder;
    List<BatchJudge.Request> reqs;

    @BeforeEach
    void start() throws IOException {
        api = new FakeAnthropic();
        recorder = new RecordingRecorder();
        reqs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path f = TestImages.write(dir.resolve("img" + i + ".jpg"), ".jpg", 200, 150, 10 + i);
            reqs.add(new BatchJudge.Request("req-" + i, f, ImageContext.bare("/images/x/" + i + ".jpg")));
        }
    }

    @AfterEach
    void stop() {
        api.close();
    }

    AnthropicProvider provider() {
        AnthropicSettings s = new AnthropicSettings("claude-sonnet-4-6", api.baseUrl(), 1568, 268_402_689L, 4,
                Duration.ofSeconds(10), Duration.ofSeconds(60));
        return new AnthropicProvider(s, Optional.of(AnthropicProviderTest.key(AnthropicProviderTest.TEST_KEY)), recorder,
                new RecordingSleeper(), new Random(3), AnthropicProviderTest.CLOCK, dev.imagevision.testing.Runs.CODEC);
    }

    /** Submits the three requests and waits for them with {@code lastTry}. */
    Map<String, BatchJudge.Outcome> submitAndAwait(boolean lastTry) throws ProviderException {
        try (AnthropicProvider p = provider()) {
            BatchJudge.Submitted sub = p.submit(reqs);
            return p.await(sub.batchId(), BatchTest.paths(reqs), sub.inputCeilings(), lastTry, x -> {});
        }
    }

    @Test
    void anErrorObjectAnsweringTheStatusPollIsAskedAgainThenReportedWithNothingCharged() {
        api.pollAnswer(id -> FakeAnthropic.raw(200, ERROR_UNDER_200));
        assertThatThrownBy(() -> submitAndAwait(false)).isInstanceOfSatisfying(BatchJudge.Unreadable.class, e -> {
            assertThat(e.fatal()).isFalse();
            assertThat(e.getMessage()).contains("status poll of batch msgbatch_", "cannot be read");
        });
        assertThat(api.requests("GET", "/v1/messages/batches/")).hasSize(3); // three attempts, then left for later
        assertThat(recorder.unconfirmed).isEmpty();
        assertThat(recorder.paid).isEmpty();
    }

    @Test
    void onTheLastTryAnUnreadableStatusGivesTheBatchUpAndChargesEveryRequestItsCeiling() throws Exception {
        api.pollAnswer(id -> FakeAnthropic.raw(200, "<html><body>502 Bad Gateway</body></html>"));
        Map<String, BatchJudge.Outcome> out = submitAndAwait(true);
        assertThat(out).hasSize(3).allSatisfy((id, o) -> assertThat(o).isInstanceOfSatisfying(BatchJudge.Failed.class,
                f -> assertThat(f.reason()).contains("status poll", "charged its ceiling as unconfirmed")));
        assertThat(recorder.unconfirmed).hasSize(3).allSatisfy(u -> {
            assertThat(u.requestId()).matches("msgbatch_fake\\d+-req-\\d");
            assertThat(u.call().batch()).isTrue();
            assertThat(u.call().inputTokensCeiling()).isPositive();
        });
    }

    @Test
    void resultLinesThatAreNotResultsAreFetchedAgainThenReportedWithNothingCharged() {
        api.resultsText(jsonl -> jsonl.replaceFirst("\\{\"custom_id\":\"req-1\"[^\n]*", "{\"oops\": true"));
        assertThatThrownBy(() -> submitAndAwait(false)).isInstanceOfSatisfying(BatchJudge.Unreadable.class,
                e -> assertThat(e.getMessage()).contains("results of batch", "1 line is not a result"));
        assertThat(api.requests("GET", "/v1/messages/batches/").stream().filter(r -> r.path().endsWith("/results")))
                .hasSize(3);
        assertThat(recorder.paid).isEmpty(); // nothing is used from a read that is not trusted whole
        assertThat(recorder.unconfirmed).isEmpty();
    }

    @Test
    void onTheLastTryReadableResultsAreUsedAndARequestWhoseLineCannotBeReadIsCharged() throws Exception {
        // one line cut off mid-object, one line that is a result of no known kind
        api.resultsText(jsonl -> jsonl.replaceFirst("(\\{\"custom_id\":\"req-1\")[^\n]*", "$1, \"result\": {\"type\": \"succ")
                .replaceFirst("(\\{\"custom_id\":\"req-2\",\"result\":\\{\"type\":\")succeeded", "$1teleported"));
        Map<String, BatchJudge.Outcome> out = submitAndAwait(true);
        assertThat(out.get("req-0")).isInstanceOf(BatchJudge.Judged.class);
        for (String id : List.of("req-1", "req-2")) {
            assertThat(out.get(id)).as(id).isInstanceOfSatisfying(BatchJudge.Failed.class, f -> assertThat(f.reason())
                    .contains("result line could not be read", "2 lines", "charged its ceiling"));
        }
        assertThat(recorder.paid).singleElement().satisfies(c -> assertThat(c.imagePath()).isEqualTo("/images/x/0.jpg"));
        assertThat(recorder.unconfirmed).extracting(RecordingRecorder.Unconfirmed::requestId).hasSize(2)
                .anySatisfy(k -> assertThat(k).endsWith("-req-1")).anySatisfy(k -> assertThat(k).endsWith("-req-2"));
    }

    @Test
    void resultsThatAreNotJsonAtAllAreUnreadableLikeGarbageLines() throws Exception {
        api.resultsText(jsonl -> "<html><body>upstream timed out</body></html>\n");
        assertThatThrownBy(() -> submitAndAwait(false)).isInstanceOf(BatchJudge.Unreadable.class);
        recorder = new RecordingRecorder();
        Map<String, BatchJudge.Outcome> out = submitAndAwait(true);
        assertThat(out.values()).hasSize(3).allSatisfy(o -> assertThat(o).isInstanceOf(BatchJudge.Failed.class));
        assertThat(recorder.unconfirmed).hasSize(3);
    }

    @Test
    void anErrorObjectAnsweringTheBatchsCreationFailsItsImagesAndIsNotSentAgain() {
        api.createAnswer(id -> FakeAnthropic.raw(200, ERROR_UNDER_200));
        try (AnthropicProvider p = provider()) {
            assertThatThrownBy(() -> p.submit(reqs)).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.fatal()).isFalse();
                assertThat(e.getMessage()).contains("cannot be read", "api_error", "not submitted again");
            });
        }
        assertThat(api.requests("POST", "/v1/messages/batches")).hasSize(1);
    }

    @Test
    void aBatchTheApiNoLongerKnowsIsChargedItsCeilingsSinceItMayHaveBeenBilled() throws Exception {
        Map<String, BatchJudge.Outcome> out;
        try (AnthropicProvider p = provider()) {
            out = p.await("msgbatch_gone", Map.of("a", "/images/a.jpg"), Map.of("a", 2_000L), x -> {});
        }
        assertThat(out.get("a")).isInstanceOfSatisfying(BatchJudge.Failed.class,
                f -> assertThat(f.reason()).contains("no longer exists", "charged its ceiling"));
        assertThat(recorder.unconfirmed).singleElement().satisfies(u -> {
            assertThat(u.requestId()).isEqualTo("msgbatch_gone-a");
            assertThat(u.call().inputTokensCeiling()).isEqualTo(2_000L);
        });
    }

    @Test
    void whatIsNotAnUnreadableAnswerIsNotCountedAsOne() {
        // an outage and a redirect say nothing about the batch: a later run just asks again, as often as it takes
        for (FakeAnthropic.Answer a : List.of(FakeAnthropic.error(500, "api_error", "Internal server error"),
                FakeAnthropic.redirect(302, "https://example.invalid/login"))) {
            api.pollAnswer(id -> a);
            assertThatThrownBy(() -> submitAndAwait(true)).as(a.status() + "")
                    .isInstanceOf(ProviderException.class).isNotInstanceOf(BatchJudge.Unreadable.class);
        }
        assertThat(recorder.unconfirmed).isEmpty();
    }
}
