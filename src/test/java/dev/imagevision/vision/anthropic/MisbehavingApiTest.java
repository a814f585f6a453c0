package dev.imagevision.vision.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.vision.BatchJudge;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static dev.imagevision.vision.anthropic.AnthropicProviderTest.JUICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Replies no test of ours used to send: 200s the SDK cannot read, usage no request can have had,
 * numbers outside the rubric. Each fails the one image (a rubric slip after the one stricter
 * re-ask), never the run; nothing in such a reply is used or recorded as billed, and a request that
 * may have been billed stays charged its ceiling.
 */
@Tag("reliability")
class MisbehavingApiTest {
    @TempDir
    Path dir;
    FakeAnthropic api;
    RecordingSleeper sleeper;
    List<PaidCall> paid;
    RecordingRecorder recorder;
    Path image;

    @BeforeEach
    void start() throws IOException {
        api = new FakeAnthropic();
        sleeper = new RecordingSleeper();
        paid = Collections.synchronizedList(new ArrayList<>());
        recorder = new RecordingRecorder();
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
                paid::add, sleeper, new Random(42), AnthropicProviderTest.CLOCK, dev.imagevision.testing.Runs.CODEC);
    }

    /** The production provider reporting to {@link #recorder}. */
    AnthropicProvider recorded() {
        AnthropicSettings s = new AnthropicSettings("claude-sonnet-4-6", api.baseUrl(), 1568, 268_402_689L, 4,
                Duration.ofSeconds(10), Duration.ofSeconds(30));
        return new AnthropicProvider(s, Optional.of(AnthropicProviderTest.key(AnthropicProviderTest.TEST_KEY)),
                recorder, sleeper, new Random(42), AnthropicProviderTest.CLOCK, dev.imagevision.testing.Runs.CODEC);
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

    // --- a 200 the SDK cannot read (issue 13, item 4) -------------------------------------------

    /** A message body with its usage replaced (null: removed). */
    String messageWithUsage(String usageJson) {
        ObjectNode m = api.message(FakeAnthropic.goodInput(), 1500, 120, 0, 0);
        m.remove("usage");
        String text = m.toString();
        return usageJson == null ? text : text.substring(0, text.length() - 1) + ",\"usage\":" + usageJson + "}";
    }

    @Test
    void aReplyTheSdkCannotReadFailsTheImageOnceAndIsChargedItsCeiling() throws Exception {
        Map<String, String> unreadable = new LinkedHashMap<>();
        unreadable.put("no usage", messageWithUsage(null));
        unreadable.put("an error object under 200",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
        unreadable.put("not JSON", "<html><body>502 Bad Gateway</body></html>");
        unreadable.put("cut short", messageWithUsage("{\"input_tokens\":1500,\"output_tokens\":12"));
        unreadable.put("a count that is text", messageWithUsage("{\"input_tokens\":\"lots\",\"output_tokens\":120}"));
        unreadable.put("a count past any long", messageWithUsage("{\"input_tokens\":1e400,\"output_tokens\":120}"));
        unreadable.put("content of the wrong type", messageWithUsage("{\"input_tokens\":1500,\"output_tokens\":120}")
                .replace("\"content\":[", "\"content\":{\"x\":[").replace("],\"stop_reason\"", "]},\"stop_reason\""));
        try (AnthropicProvider p = recorded()) {
            for (Map.Entry<String, String> e : unreadable.entrySet()) {
                int before = api.messageRequests().size();
                api.then(FakeAnthropic.raw(200, e.getValue()));
                assertThatThrownBy(() -> p.judge(image, JUICE)).as(e.getKey())
                        .isInstanceOfSatisfying(ProviderException.class, ex -> {
                            assertThat(ex.fatal()).isFalse();
                            assertThat(ex.imageFault()).isFalse(); // the next run asks again
                            assertThat(ex.getMessage()).contains("answered 200", "charged its ceiling as unconfirmed");
                        });
                assertThat(api.messageRequests()).as(e.getKey()).hasSize(before + 1); // billed, maybe: never sent twice
            }
            // the provider goes on: the next image is scored
            assertThat(p.judge(image, JUICE).judgement().score()).isEqualTo(8);
        }
        assertThat(recorder.paid).hasSize(1);
        assertThat(recorder.unconfirmed).hasSize(unreadable.size())
                .allSatisfy(u -> assertThat(recorder.sent).containsKey(u.requestId()));
        assertThat(recorder.open).isEmpty();
        assertThat(recorder.unconfirmed.get(1).why()).contains("overloaded_error: Overloaded");
    }

    // --- usage no request can have had (issue 13, item 5) ---------------------------------------

    @Test
    void impossibleUsageFailsTheImageAndIsNeverRecordedAsBilled() throws Exception {
        Map<String, FakeAnthropic.Answer> impossible = new LinkedHashMap<>();
        impossible.put("negative input", api.ok(FakeAnthropic.goodInput(), -5, 120));
        impossible.put("negative output", api.ok(FakeAnthropic.goodInput(), 1500, -1));
        impossible.put("negative cache read", api.ok(FakeAnthropic.goodInput(), 1500, 120, -7, 0));
        impossible.put("a trillion input tokens", api.ok(FakeAnthropic.goodInput(), 1_000_000_000_000L, 120));
        impossible.put("cache writes past the ceiling", api.ok(FakeAnthropic.goodInput(), 10, 120, 0, 5_000_000));
        impossible.put("counts that overflow when added", api.ok(FakeAnthropic.goodInput(), Long.MAX_VALUE, 120,
                Long.MAX_VALUE, Long.MAX_VALUE));
        impossible.put("more output than max_tokens", api.ok(FakeAnthropic.goodInput(), 1500, 5_000));
        try (AnthropicProvider p = recorded()) {
            for (Map.Entry<String, FakeAnthropic.Answer> e : impossible.entrySet()) {
                api.then(e.getValue());
                assertThatThrownBy(() -> p.judge(image, JUICE)).as(e.getKey())
                        .isInstanceOfSatisfying(ProviderException.class, ex -> {
                            assertThat(ex.fatal()).isFalse();
                            assertThat(ex.getMessage()).contains("claims impossible usage", "charged its ceiling");
                        });
            }
            assertThat(p.judge(image, JUICE).judgement().score()).isEqualTo(8);
        }
        assertThat(api.messageRequests()).hasSize(impossible.size() + 1);
        assertThat(recorder.paid).singleElement().satisfies(c -> assertThat(c.usage().inputTokens()).isEqualTo(1500));
        assertThat(recorder.unconfirmed).hasSize(impossible.size());
        assertThat(recorder.unconfirmed.get(3).why()).contains("1000000000000", "more than the request can carry");
    }

    @Test
    void theUsageOfAReplyMayReachItsCeilingButNotPassIt() throws Exception {
        long ceiling;
        try (AnthropicProvider p = recorded()) {
            p.judge(image, JUICE); // learn the request's ceiling
            ceiling = recorder.sent.values().iterator().next().inputTokensCeiling();
            api.then(api.ok(FakeAnthropic.goodInput(), ceiling - 100, 1024, 50, 50));
            assertThat(p.judge(image, JUICE).usage().inputTokens()).isEqualTo(ceiling - 100);
            api.then(api.ok(FakeAnthropic.goodInput(), ceiling - 100, 1024, 50, 51));
            assertThatThrownBy(() -> p.judge(image, JUICE)).hasMessageContaining("impossible usage");
        }
        assertThat(recorder.paid).hasSize(2);
    }

    @Test
    void aBatchResultThatCannotBeReadOrClaimsTooMuchFailsThatImageAndIsChargedItsCeiling() throws Exception {
        List<BatchJudge.Request> reqs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path f = TestImages.write(dir.resolve("b" + i + ".jpg"), ".jpg", 200, 150, 20 + i);
            reqs.add(new BatchJudge.Request("req-" + i, f, dev.imagevision.vision.ImageContext.bare("/images/b/" + i + ".jpg")));
        }
        api.batchResult((id, params) -> switch (id) {
            case "req-0" -> {
                ObjectNode r = (ObjectNode) api.succeeded(FakeAnthropic.goodInput(), 1500, 120);
                ((ObjectNode) r.get("message")).remove("usage");
                yield r;
            }
            case "req-1" -> api.succeeded(FakeAnthropic.goodInput(), 1_000_000_000_000L, 120);
            default -> api.succeeded(FakeAnthropic.goodInput(), 1500, 120);
        });
        Map<String, BatchJudge.Outcome> out;
        BatchJudge.Submitted sub;
        try (AnthropicProvider p = recorded()) {
            sub = p.submit(reqs);
            assertThat(sub.inputCeilings()).containsOnlyKeys("req-0", "req-1", "req-2");
            out = p.await(sub.batchId(), BatchTest.paths(reqs), sub.inputCeilings(), progress -> {});
        }
        assertThat(out.get("req-0")).isInstanceOfSatisfying(BatchJudge.Failed.class,
                f -> assertThat(f.reason()).contains("cannot be read"));
        assertThat(out.get("req-1")).isInstanceOfSatisfying(BatchJudge.Failed.class,
                f -> assertThat(f.reason()).contains("impossible usage"));
        assertThat(out.get("req-2")).isInstanceOf(BatchJudge.Judged.class);
        assertThat(recorder.paid).hasSize(1);
        assertThat(recorder.unconfirmed).hasSize(2).allSatisfy(u -> {
            assertThat(u.requestId()).startsWith(sub.batchId() + "-req-");
            assertThat(u.call().batch()).isTrue();
            assertThat(u.call().inputTokensCeiling()).isEqualTo(sub.inputCeilings().get(u.requestId().substring(sub.batchId().length() + 1)));
        });
    }

    // --- nothing reached a server (red team 2, item 1) -------------------------------------------

    AnthropicProvider recordedAt(String baseUrl) {
        AnthropicSettings s = new AnthropicSettings("claude-sonnet-4-6", baseUrl, 1568, 268_402_689L, 4,
                Duration.ofSeconds(10), Duration.ofSeconds(30));
        return new AnthropicProvider(s, Optional.of(AnthropicProviderTest.key(AnthropicProviderTest.TEST_KEY)),
                recorder, sleeper, new Random(42), AnthropicProviderTest.CLOCK, dev.imagevision.testing.Runs.CODEC);
    }

    static int closedPort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aRequestThatReachedNoServerIsRetriedAndRecordedAsNotBilled() throws Exception {
        // a refused connection (a wrong ANTHROPIC_BASE_URL, a proxy that is down) and a host no DNS knows
        for (String base : List.of("http://127.0.0.1:" + closedPort(), "http://imagevision-test.invalid")) {
            RecordingRecorder r = recorder = new RecordingRecorder();
            try (AnthropicProvider p = recordedAt(base)) {
                assertThatThrownBy(() -> p.judge(image, JUICE)).as(base)
                        .isInstanceOfSatisfying(ProviderException.class, e -> {
                            assertThat(e.fatal()).isFalse();
                            assertThat(e.getMessage()).contains("could not be reached", "3 attempts",
                                    "reaches no server is not charged", "a later run retries");
                        });
            }
            assertThat(r.sent).as(base).hasSize(3); // each attempt journaled before it left …
            assertThat(r.unbilled).as(base).hasSize(3); // … and none can have been billed
            assertThat(r.unconfirmed).as(base).isEmpty();
            assertThat(r.open).as(base).isEmpty();
        }
    }

    @Test
    void whenImageAfterImageReachesNoServerTheRunIsToldToStopCalling() throws Exception {
        AnthropicSettings s = new AnthropicSettings("claude-sonnet-4-6", "http://127.0.0.1:" + closedPort(), 1568,
                268_402_689L, 1, Duration.ofSeconds(10), Duration.ofSeconds(30));
        List<Boolean> fatal = new ArrayList<>();
        try (AnthropicProvider p = new AnthropicProvider(s, Optional.of(AnthropicProviderTest.key(AnthropicProviderTest.TEST_KEY)),
                recorder, sleeper, new Random(42), AnthropicProviderTest.CLOCK, dev.imagevision.testing.Runs.CODEC)) {
            for (int i = 0; i < 4; i++) {
                try {
                    p.judge(image, JUICE);
                } catch (ProviderException e) {
                    fatal.add(e.fatal());
                    if (e.fatal()) assertThat(e.getMessage()).startsWith("the API cannot be reached: 4 images in a row "
                            + "reached no server; last: the API could not be reached (");
                }
            }
        }
        assertThat(fatal).containsExactly(false, false, false, true);
        assertThat(recorder.unconfirmed).isEmpty();
    }

    @Test
    void aConnectionDroppedAfterTheRequestWasWrittenStaysChargedItsCeiling() throws Exception {
        try (FakeAnthropic dropping = new FakeAnthropic(FakeAnthropic.Wire.HTTP_1_0);
             AnthropicProvider p = recordedAt(dropping.baseUrl())) {
            dropping.then(FakeAnthropic.drop(), FakeAnthropic.drop(), FakeAnthropic.drop());
            assertThatThrownBy(() -> p.judge(image, JUICE)).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.fatal()).isFalse();
                assertThat(e.getMessage()).contains("no response", "3 attempts").doesNotContain("could not be reached");
            });
            assertThat(dropping.messageRequests()).hasSize(3); // the server read every request whole
        }
        assertThat(recorder.unconfirmed).hasSize(3) // it may have billed them
                .allSatisfy(u -> assertThat(u.why()).contains("no complete response"));
        assertThat(recorder.unbilled).isEmpty();
        assertThat(recorder.open).isEmpty();
    }

    // --- a stalled API (issue 13, item 15) ------------------------------------------------------

    AnthropicProvider bounded(Duration perImage) {
        AnthropicSettings s = new AnthropicSettings("claude-sonnet-4-6", api.baseUrl(), 1568, 268_402_689L, 4,
                Duration.ofSeconds(10), Duration.ofSeconds(30), perImage);
        return new AnthropicProvider(s, Optional.of(AnthropicProviderTest.key(AnthropicProviderTest.TEST_KEY)),
                recorder, sleeper, new Random(42), AnthropicProviderTest.CLOCK, dev.imagevision.testing.Runs.CODEC);
    }

    @Test
    void aStalledApiFailsTheImageWithinTheTimeAllowedPerImageNotAttemptsTimesTheRequestTimeout() {
        // headers at once, then the body a byte at a time: never silent long enough for a read timeout
        api.fallback(body -> api.ok(FakeAnthropic.goodInput(), 1500, 120).trickled(Duration.ofMillis(100)));
        long start = System.nanoTime();
        try (AnthropicProvider p = bounded(Duration.ofMillis(1500))) {
            assertThatThrownBy(() -> p.judge(image, JUICE)).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.fatal()).isFalse();
                assertThat(e.getMessage()).contains("did not arrive whole",
                        "no complete answer within the 1.5 s allowed per image, image_timeout_seconds");
            });
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isLessThan(Duration.ofSeconds(5)); // was 3 attempts × the 10 s request timeout here
        assertThat(api.messageRequests()).hasSize(1);
        assertThat(recorder.unconfirmed).singleElement() // the 200 had begun: it may be billed
                .satisfies(u -> assertThat(u.why()).contains("did not arrive whole"));
        assertThat(recorder.open).isEmpty();
    }

    @Test
    void noRetryWaitsPastTheTimeAllowedPerImage() {
        api.then(FakeAnthropic.error(429, "rate_limit_error", "slow down", "retry-after", "90"));
        try (AnthropicProvider p = bounded(Duration.ofSeconds(60))) {
            assertThatThrownBy(() -> p.judge(image, JUICE)).hasMessageContaining("HTTP 429")
                    .hasMessageContaining("60 s allowed per image");
        }
        assertThat(sleeper.waits).isEmpty(); // gave up instead of waiting 90 s
        assertThat(api.messageRequests()).hasSize(1);
        assertThat(recorder.unbilled).hasSize(1);
    }

    @Test
    void waitsBetweenAttemptsCountAgainstTheTimeAllowedPerImage() throws Exception {
        for (int i = 0; i < 2; i++) api.then(FakeAnthropic.error(429, "rate_limit_error", "slow down", "retry-after", "20"));
        try (AnthropicProvider p = bounded(Duration.ofSeconds(30))) {
            assertThatThrownBy(() -> p.judge(image, JUICE)).hasMessageContaining("30 s allowed per image");
        }
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(20)); // 20 s spent: a second 20 s wait would pass 30 s
        try (AnthropicProvider p = bounded(Duration.ofSeconds(45))) {
            api.then(FakeAnthropic.error(429, "rate_limit_error", "slow down", "retry-after", "20"),
                    FakeAnthropic.error(429, "rate_limit_error", "slow down", "retry-after", "20"));
            assertThat(p.judge(image, JUICE).judgement().score()).isEqualTo(8);
        }
    }

    @Test
    void whenImageAfterImageStallsTheRunIsToldToStopCalling() {
        api.fallback(body -> api.ok(FakeAnthropic.goodInput(), 1500, 120).trickled(Duration.ofMillis(100)));
        AnthropicSettings s = new AnthropicSettings("claude-sonnet-4-6", api.baseUrl(), 1568, 268_402_689L, 1,
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMillis(250));
        List<Boolean> fatal = new ArrayList<>();
        try (AnthropicProvider p = new AnthropicProvider(s, Optional.of(AnthropicProviderTest.key(AnthropicProviderTest.TEST_KEY)),
                recorder, sleeper, new Random(42), AnthropicProviderTest.CLOCK, dev.imagevision.testing.Runs.CODEC)) {
            assertThat(p.stallLimit()).isEqualTo(4);
            for (int i = 0; i < 4; i++) {
                try {
                    p.judge(image, JUICE);
                } catch (ProviderException e) {
                    fatal.add(e.fatal());
                    if (e.fatal()) assertThat(e.getMessage()).startsWith("the API has stalled: 4 images in a row");
                }
            }
        }
        assertThat(fatal).containsExactly(false, false, false, true);
    }
}
