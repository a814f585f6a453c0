package dev.imagevision.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagevision.vision.anthropic.FakeAnthropic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cold paid run of a whole site through the CLI, as a user starts it: a generated site
 * ({@code imagevision bench site}), the fake Messages API answering every call after a fixed
 * latency, {@code score --all} with crops. Ideal: {@code ceil(images / concurrency) × latency}; the
 * figure is the wall time over that (start-up included). The jar is a parameter so the same
 * benchmark times any build. Not a unit test; run it with {@code bench/cold-run.sh}.
 *
 * <p>System properties: {@code bench.jar} (default {@code target/imagevision.jar}), {@code bench.images}
 * (1345), {@code bench.size} (long edge in pixels, 2400), {@code bench.latency} (seconds, 3),
 * {@code bench.concurrency} (8).
 */
@Tag("bench")
class ColdRunBench {
    @TempDir
    Path dir;

    @Test
    void aColdPaidRunIsBoundByTheApiAlone() throws Exception {
        String jar = System.getProperty("bench.jar", "target/imagevision.jar");
        int images = Integer.getInteger("bench.images", 1345);
        int size = Integer.getInteger("bench.size", 2400);
        double latency = Double.parseDouble(System.getProperty("bench.latency", "3"));
        int concurrency = Integer.getInteger("bench.concurrency", 8);
        Path site = dir.resolve("site");
        run(List.of(java(), "-jar", jar, "bench", "site", "--out", site.toString(), "--images", "" + images,
                "--size", "" + size), null, dir.resolve("site.log"));
        Files.writeString(site.resolve("imagevision.json"),
                "{\"provider\": \"anthropic\", \"concurrency\": " + concurrency + ", \"cost_hard_usd\": 100000}\n");

        try (FakeAnthropic api = new FakeAnthropic().latency(Duration.ofMillis((long) (latency * 1000)))) {
            long t0 = System.nanoTime();
            Path out = dir.resolve("run.json");
            run(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-jar", jar, "score", "--root", site.toString(),
                    "--all", "--json", "--no-report"), api.baseUrl(), out);
            double wall = (System.nanoTime() - t0) / 1e9;
            JsonNode summary = new ObjectMapper().readTree(Files.readString(out).lines()
                    .filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
            double ideal = Math.ceil((double) images / concurrency) * latency;
            double untilFirst = (api.firstArrivalNanos() - t0) / 1e9;
            String json = String.format(Locale.ROOT, "{\"jar\": \"%s\", \"images\": %d, \"size\": %d, \"concurrency\": %d, "
                            + "\"latency_s\": %.1f, \"ideal_s\": %.1f, \"wall_s\": %.1f, \"ratio\": %.3f, "
                            + "\"until_first_request_s\": %.2f, \"api_busy_s\": %.1f, \"after_last_answer_s\": %.1f, "
                            + "\"scored\": %d, \"cropped\": %d, \"max_in_flight\": %d}",
                    jar, images, size, concurrency, latency, ideal, wall, wall / ideal, untilFirst,
                    api.busySpan().toMillis() / 1000.0, wall - untilFirst - api.busySpan().toMillis() / 1000.0,
                    summary.path("scored").asInt(), summary.path("cropped").asInt(), api.maxInFlight());
            System.out.println("cold run bench: " + json);
            Files.createDirectories(Path.of("target/bench"));
            Files.writeString(Path.of("target/bench/cold-run.json"), json + "\n");
            assertThat(summary.path("scored").asInt()).isEqualTo(images);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void run(List<String> command, String baseUrl, Path out) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(false)
                .redirectOutput(out.toFile()).redirectError(new File(out + ".err"));
        if (baseUrl != null) {
            pb.environment().put("ANTHROPIC_BASE_URL", baseUrl);
            pb.environment().put("ANTHROPIC_API_KEY", "sk-ant-bench");
        }
        int code = pb.start().waitFor();
        assertThat(code).as(Files.readString(Path.of(out + ".err"))).isZero();
    }
}
