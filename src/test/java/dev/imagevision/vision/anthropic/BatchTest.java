package dev.imagevision.vision.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.vision.BatchJudge;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.PaidCall;
import dev.imagevision.vision.ProviderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Message Batches side of the provider against the fake API. */
class BatchTest {
    @TempDir
    Path dir;
    FakeAnthropic api;
    RecordingSleeper sleeper;
    List<PaidCall> paid;

    @BeforeEach
    void start() throws IOException {
        api = new FakeAnthropic();
        sleeper = new RecordingSleeper();
        paid = Collections.synchronizedList(new ArrayList<>());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    AnthropicProvider provider() {
        AnthropicSettings s = new AnthropicSettings("claude-sonnet-4-6", api.baseUrl(), 1568, 268_402_689L, 4,
                Duration.ofSeconds(10), Duration.ofSeconds(60));
        return new AnthropicProvider(s, ApiKey.find(Map.of(ApiKey.VARIABLE, "sk-ant-batch"), Map.of()), paid::add,
                sleeper, new Random(3), AnthropicProviderTest.CLOCK, dev.imagevision.testing.Runs.CODEC);
    }

    List<BatchJudge.Request> requests(int n) throws IOException {
        List<BatchJudge.Request> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path f = TestImages.write(dir.resolve("img" + i + ".jpg"), ".jpg", 200, 150, 10 + i);
            out.add(new BatchJudge.Request("req-" + i, f, ImageContext.bare("/images/x/" + i + ".jpg")));
        }
        return out;
    }

    static Map<String, String> paths(List<BatchJudge.Request> reqs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (BatchJudge.Request r : reqs) m.put(r.id(), r.context().path());
        return m;
    }

    @Test
    void submitsPollsAtTheIntervalAndMapsResultsBackById() throws Exception {
        api.pollsUntilEnded(3).batchResult((id, params) -> switch (id) {
            case "req-1" -> FakeAnthropic.errored("invalid_request_error", "Could not process image");
            case "req-2" -> FakeAnthropic.expired();
            case "req-3" -> null; // missing from the results
            default -> api.succeeded(FakeAnthropic.goodInput(), 2000, 200);
        });
        List<BatchJudge.Request> reqs = requests(4);
        List<BatchJudge.Progress> seen = new ArrayList<>();
        Map<String, BatchJudge.Outcome> out;
        try (AnthropicProvider p = provider()) {
            BatchJudge.Submitted s = p.submit(reqs);
            assertThat(s.batchId()).startsWith("msgbatch_");
            assertThat(s.refused()).isEmpty();
            assertThat(s.deferred()).isEmpty();
            out = p.await(s.batchId(), paths(reqs), seen::add);
        }
        JsonNode body = api.requests("POST", "/v1/messages/batches").get(0).body();
        assertThat(body.get("requests")).hasSize(4);
        JsonNode first = body.get("requests").get(0);
        assertThat(first.get("custom_id").asText()).isEqualTo("req-0");
        assertThat(first.at("/params/tool_choice/name").asText()).isEqualTo("record_judgement");
        assertThat(first.at("/params/messages/0/content/0/type").asText()).isEqualTo("image");

        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(60), Duration.ofSeconds(60));
        assertThat(seen).extracting(BatchJudge.Progress::status).containsExactly("in_progress", "in_progress", "ended");
        assertThat(out.get("req-0")).isInstanceOfSatisfying(BatchJudge.Judged.class,
                j -> assertThat(j.scored().usage().costUsd()).isEqualTo(0.0045)); // half of $0.009
        assertThat(out.get("req-1")).isInstanceOfSatisfying(BatchJudge.Failed.class,
                f -> assertThat(f.reason()).contains("Could not process image"));
        assertThat(out.get("req-2")).isInstanceOfSatisfying(BatchJudge.Failed.class,
                f -> assertThat(f.reason()).contains("expired"));
        assertThat(out.get("req-3")).isInstanceOf(BatchJudge.Failed.class);
        assertThat(paid).singleElement().satisfies(c -> {
            assertThat(c.batch()).isTrue();
            assertThat(c.imagePath()).isEqualTo("/images/x/0.jpg");
        });
    }

    @Test
    void anImageThatCannotBeSentIsRefusedAndTheRestGoOut() throws Exception {
        List<BatchJudge.Request> reqs = new ArrayList<>(requests(1));
        Path svg = dir.resolve("logo.svg");
        Files.writeString(svg, "<svg/>");
        reqs.add(new BatchJudge.Request("svg", svg, ImageContext.bare("/images/logo.svg")));
        try (AnthropicProvider p = provider()) {
            BatchJudge.Submitted s = p.submit(reqs);
            assertThat(s.refused()).containsOnlyKeys("svg");
            assertThat(s.batchId()).isNotNull();
        }
        assertThat(api.requests("POST", "/v1/messages/batches").get(0).body().get("requests")).hasSize(1);
    }

    @Test
    void aBatchTheApiNoLongerKnowsFailsEveryRequestSoTheyAreRetriedAlone() throws Exception {
        try (AnthropicProvider p = provider()) {
            Map<String, BatchJudge.Outcome> out = p.await("msgbatch_gone", Map.of("a", "/images/a.jpg"), x -> {});
            assertThat(out.get("a")).isInstanceOfSatisfying(BatchJudge.Failed.class,
                    f -> assertThat(f.reason()).contains("no longer exists"));
        }
    }

    @Test
    void resumingWithoutAKeyIsFatalAndSendsNothing() throws Exception {
        List<BatchJudge.Request> reqs = requests(1);
        try (AnthropicProvider p = provider()) {
            String id = p.submit(reqs).batchId();
            int before = api.received.size();
            AnthropicProvider noKey = new AnthropicProvider(new AnthropicSettings("claude-sonnet-4-6", api.baseUrl(), 1568,
                    268_402_689L, 1, Duration.ofSeconds(10), Duration.ofSeconds(60)), Optional.empty(), paid::add, sleeper,
                    new Random(1), AnthropicProviderTest.CLOCK, dev.imagevision.testing.Runs.CODEC);
            assertThatThrownBy(() -> noKey.await(id, paths(reqs), x -> {})).isInstanceOfSatisfying(ProviderException.class,
                    e -> assertThat(e.fatal()).isTrue());
            assertThat(api.received).hasSize(before);
        }
    }
}
