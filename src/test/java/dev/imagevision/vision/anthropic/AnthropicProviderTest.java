package dev.imagevision.vision.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.PaidCall;
import dev.imagevision.vision.ProviderException;
import dev.imagevision.vision.Scored;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

/** The production provider, through the real SDK, against a fake API on loopback. */
class AnthropicProviderTest {
    static final String TEST_KEY = "sk-ant-test-0123456789abcdefSECRET";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-07-06T10:00:00Z"), ZoneOffset.UTC);
    static final ImageContext JUICE = new ImageContext("/images/missions/juice/01.jpg", "missions", "juice", "ESA",
            "JUPITER", "ACTIVE", List.of("Stock photo of a juice drink, not the JUICE spacecraft"));

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
        return provider(Optional.of(key(TEST_KEY)), Duration.ofSeconds(10));
    }

    AnthropicProvider provider(Optional<ApiKey> key, Duration timeout) {
        AnthropicSettings s = new AnthropicSettings("claude-sonnet-4-6", api.baseUrl(), 1568, 268_402_689L, 4, timeout,
                Duration.ofSeconds(30));
        return new AnthropicProvider(s, key, paid::add, sleeper, new Random(42), CLOCK, dev.imagevision.testing.Runs.CODEC);
    }

    static ApiKey key(String value) {
        return ApiKey.find(Map.of(ApiKey.VARIABLE, value), Map.of()).orElseThrow();
    }

    @Test
    void successSendsTheImageThenTheTextWithTheToolForced() throws Exception {
        Scored s;
        try (AnthropicProvider p = provider()) {
            s = p.judge(image, JUICE);
        }
        assertThat(s.judgement().score()).isEqualTo(8);
        assertThat(s.judgement().category()).isEqualTo(Category.LAUNCH);
        assertThat(s.judgement().subjectMatch()).isTrue();
        assertThat(s.usage().inputTokens()).isEqualTo(1500);
        assertThat(s.usage().costUsd()).isEqualTo(0.0063); // 1500 × $3/M + 120 × $15/M

        var req = api.messageRequests();
        assertThat(req).hasSize(1);
        assertThat(req.get(0).apiKey()).isEqualTo(TEST_KEY);
        assertThat(req.get(0).header("anthropic-version")).isNotBlank();
        JsonNode body = req.get(0).body();
        assertThat(body.get("model").asText()).isEqualTo("claude-sonnet-4-6");
        assertThat(body.at("/tool_choice/type").asText()).isEqualTo("tool");
        assertThat(body.at("/tool_choice/name").asText()).isEqualTo("record_judgement");
        assertThat(body.at("/tools/0/name").asText()).isEqualTo("record_judgement");
        assertThat(body.at("/tools/0/input_schema/required")).hasSize(7);
        assertThat(body.at("/tools/0/input_schema/properties/category/enum")).hasSize(9);
        JsonNode content = body.at("/messages/0/content");
        assertThat(content.get(0).get("type").asText()).isEqualTo("image");
        assertThat(content.get(0).at("/source/type").asText()).isEqualTo("base64");
        assertThat(content.get(0).at("/source/media_type").asText()).isEqualTo("image/jpeg");
        assertThat(Base64.getDecoder().decode(content.get(0).at("/source/data").asText()))
                .isEqualTo(Files.readAllBytes(image)); // small enough: sent as it is
        assertThat(content.get(1).get("type").asText()).isEqualTo("text");
        assertThat(content.get(1).get("text").asText()).contains("\"juice\"", "ESA", "JUPITER", "ACTIVE",
                "This frame should show the \"juice\" mission");
        assertThat(body.at("/system/0/text").asText()).contains("subject_match", "juice drink, not the JUICE spacecraft");
        assertThat(body.at("/system/0/cache_control/type").asText()).isEqualTo("ephemeral");
        assertThat(paid).singleElement().satisfies(c -> {
            assertThat(c.callId()).startsWith("msg_");
            assertThat(c.imagePath()).isEqualTo(JUICE.path());
            assertThat(c.batch()).isFalse();
        });
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void unauthorisedIsFatalWithTheKeyBannerAndIsNotRetried() {
        api.then(FakeAnthropic.error(401, "authentication_error", "invalid x-api-key"));
        try (AnthropicProvider p = provider()) {
            assertThatThrownBy(() -> p.judge(image, JUICE)).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.fatal()).isTrue();
                assertThat(e.getMessage()).startsWith("ANTHROPIC_API_KEY missing or rejected").contains("401");
            });
        }
        assertThat(api.messageRequests()).hasSize(1);
        assertThat(sleeper.waits).isEmpty();
        assertThat(paid).isEmpty();
    }

    @Test
    void forbiddenIsFatalToo() {
        api.then(FakeAnthropic.error(403, "permission_error", "Your API key does not have permission to use the specified resource."));
        try (AnthropicProvider p = provider()) {
            assertThatThrownBy(() -> p.judge(image, JUICE)).isInstanceOfSatisfying(ProviderException.class,
                    e -> assertThat(e.fatal()).isTrue());
        }
    }

    @Test
    void noKeyFailsFastWithoutSendingAnything() {
        try (AnthropicProvider p = provider(Optional.empty(), Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> p.judge(image, JUICE)).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.fatal()).isTrue();
                assertThat(e.getMessage()).startsWith("ANTHROPIC_API_KEY missing or rejected").contains(".env.local");
            });
        }
        assertThat(api.received).isEmpty();
    }

    @Test
    void aKeyWithAStrayCharacterIsRefusedBeforeItReachesTheHttpLibrary() {
        try (AnthropicProvider p = provider(Optional.of(key("sk-ant-abc\u0007def")), Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> p.judge(image, JUICE)).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.fatal()).isTrue();
                assertThat(e.getMessage()).doesNotContain("abc");
            });
        }
        assertThat(api.received).isEmpty();
    }

    @Test
    void rateLimitWaitsAtLeastWhatRetryAfterAsksAndSlowsDown() throws Exception {
        api.then(FakeAnthropic.error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit",
                "retry-after", "7"));
        try (AnthropicProvider p = provider()) {
            Scored s = p.judge(image, JUICE);
            assertThat(s.judgement().score()).isEqualTo(8);
            assertThat(p.currentConcurrency()).isEqualTo(2); // 4 halved by the 429
        }
        assertThat(api.messageRequests()).hasSize(2);
        assertThat(sleeper.waits).singleElement().satisfies(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(7)));
    }

    @Test
    void overloadedThenSuccessBacksOffOnce() throws Exception {
        api.then(FakeAnthropic.error(529, "overloaded_error", "Overloaded"));
        try (AnthropicProvider p = provider()) {
            assertThat(p.judge(image, JUICE).judgement().score()).isEqualTo(8);
        }
        assertThat(api.messageRequests()).hasSize(2);
        assertThat(sleeper.waits).singleElement()
                .satisfies(d -> assertThat(d).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000)));
    }

    @Test
    void serverErrorThreeTimesFailsTheImageAfterThreeAttempts() {
        for (int i = 0; i < 3; i++) api.then(FakeAnthropic.error(500, "api_error", "Internal server error"));
        try (AnthropicProvider p = provider()) {
            assertThatThrownBy(() -> p.judge(image, JUICE)).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.fatal()).isFalse();
                assertThat(e.getMessage()).contains("HTTP 500", "3 attempts");
            });
        }
        assertThat(api.messageRequests()).hasSize(3);
        assertThat(sleeper.waits).hasSize(2);
        assertThat(sleeper.waits.get(1)).isGreaterThan(sleeper.waits.get(0).dividedBy(2)); // grows: [0.5,1] then [1,2]
        assertThat(sleeper.waits.get(1)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(paid).isEmpty();
    }

    @Test
    void badRequestFailsTheImageAtOnce() {
        api.then(FakeAnthropic.error(400, "invalid_request_error", "Could not process image"));
        try (AnthropicProvider p = provider()) {
            assertThatThrownBy(() -> p.judge(image, JUICE)).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.fatal()).isFalse();
                assertThat(e.getMessage()).contains("Could not process image", "HTTP 400");
            });
        }
        assertThat(api.messageRequests()).hasSize(1);
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void malformedReplyGetsOneStricterReask() throws Exception {
        ObjectNode bad = FakeAnthropic.goodInput();
        bad.put("category", "spaceship");
        bad.put("score", "eleven");
        api.then(api.ok(bad, 1500, 100));
        Scored s;
        try (AnthropicProvider p = provider()) {
            s = p.judge(image, JUICE);
        }
        var reqs = api.messageRequests();
        assertThat(reqs).hasSize(2);
        String firstText = reqs.get(0).body().at("/messages/0/content/1/text").asText();
        String secondText = reqs.get(1).body().at("/messages/0/content/1/text").asText();
        assertThat(firstText).doesNotContain("could not be used");
        assertThat(secondText).contains("Your previous reply could not be used", "category is 'spaceship'", "score is 'eleven'");
        assertThat(s.judgement().category()).isEqualTo(Category.LAUNCH);
        assertThat(s.usage().inputTokens()).isEqualTo(3000); // both calls were paid for
        assertThat(paid).hasSize(2);
    }

    @Test
    void aReplyThatIsUnusableTwiceFailsTheImageButBothCallsAreRecorded() {
        api.then(api.prose(), api.prose());
        try (AnthropicProvider p = provider()) {
            assertThatThrownBy(() -> p.judge(image, JUICE)).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.fatal()).isFalse();
                assertThat(e.getMessage()).contains("unusable twice");
            });
        }
        assertThat(api.messageRequests()).hasSize(2);
        assertThat(paid).hasSize(2);
    }

    @Test
    void aTimeoutIsRetried() throws Exception {
        api.then(FakeAnthropic.hang());
        try (AnthropicProvider p = provider(Optional.of(key(TEST_KEY)), Duration.ofMillis(300))) {
            assertThat(p.judge(image, JUICE).judgement().score()).isEqualTo(8);
        }
        assertThat(api.messageRequests()).hasSize(2);
        assertThat(sleeper.waits).hasSize(1);
    }

    @Test
    void largeImagesAreDownscaledAndReencodedBeforeUpload() throws Exception {
        Path big = TestImages.write(dir.resolve("big.jpg"), ".jpg", 3000, 2000, 2);
        try (AnthropicProvider p = provider()) {
            p.judge(big, JUICE);
        }
        JsonNode source = api.messageRequests().get(0).body().at("/messages/0/content/0/source");
        assertThat(source.get("media_type").asText()).isEqualTo("image/jpeg");
        byte[] sent = Base64.getDecoder().decode(source.get("data").asText());
        try (BytePointer data = new BytePointer(sent); Mat buf = new Mat(1, sent.length, CV_8U, data);
             Mat m = imdecode(buf, IMREAD_COLOR)) {
            assertThat(Math.max(m.cols(), m.rows())).isLessThanOrEqualTo(1568);
            assertThat((long) m.cols() * m.rows()).isLessThanOrEqualTo(Upload.API_MAX_PIXELS);
            assertThat((double) m.cols() / m.rows()).isCloseTo(1.5, org.assertj.core.data.Offset.offset(0.01));
        }
        assertThat(sent.length).isLessThan((int) Files.size(big));
    }

    @Test
    void theMediaTypeComesFromTheBytesNotTheName() throws Exception {
        Path pngNamedJpg = dir.resolve("really-png.jpg");
        Files.write(pngNamedJpg, TestImages.encode(".png", 400, 300, 3));
        try (AnthropicProvider p = provider()) {
            p.judge(pngNamedJpg, JUICE);
        }
        assertThat(api.messageRequests().get(0).body().at("/messages/0/content/0/source/media_type").asText())
                .isEqualTo("image/png");
    }

    @Test
    void svgIsNeverSent() throws Exception {
        Path svg = dir.resolve("logo.svg");
        Files.writeString(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>");
        Path svgNamedPng = dir.resolve("logo.png");
        Files.writeString(svgNamedPng, "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        try (AnthropicProvider p = provider()) {
            assertThatThrownBy(() -> p.judge(svg, JUICE)).hasMessageContaining("SVG is never sent");
            assertThatThrownBy(() -> p.judge(svgNamedPng, JUICE)).hasMessageContaining("SVG is never sent");
        }
        assertThat(api.received).isEmpty();
    }

    @Test
    void theKeyNeverAppearsInAnExceptionEvenWhenTheServerEchoesIt() {
        api.then(FakeAnthropic.error(401, "authentication_error", "invalid x-api-key " + TEST_KEY));
        api.then(FakeAnthropic.error(400, "invalid_request_error", "bad image for key " + TEST_KEY));
        try (AnthropicProvider p = provider()) {
            assertThatThrownBy(() -> p.judge(image, JUICE)).satisfies(e -> assertThat(e.getMessage()).doesNotContain(TEST_KEY)
                    .contains("[redacted]"));
            assertThatThrownBy(() -> p.judge(image, JUICE)).satisfies(e -> assertThat(e.getMessage()).doesNotContain(TEST_KEY));
            assertThat(p.toString()).doesNotContain(TEST_KEY);
        }
        assertThat(key(TEST_KEY).toString()).doesNotContain(TEST_KEY);
    }

    @Test
    void anUnknownModelIsFatal() {
        api.then(FakeAnthropic.error(404, "not_found_error", "model: claude-sonnet-9"));
        try (AnthropicProvider p = provider()) {
            assertThatThrownBy(() -> p.judge(image, JUICE)).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.fatal()).isTrue();
                assertThat(e.getMessage()).contains("does not know model");
            });
        }
    }
}
