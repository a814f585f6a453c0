package dev.imagevision.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code imagevision bench crops}: the job runs, failures are named, and the last line is the rate. */
class BenchCommandTest {
    @TempDir
    Path dir;

    private record Ran(int exit, String out, String err) {}

    private static Ran run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        Failures.install(cli);
        int code = cli.execute(args);
        return new Ran(code, out.toString(), err.toString());
    }

    private Path folder() throws Exception {
        Path images = dir.resolve("images");
        Files.createDirectories(images.resolve("sub"));
        Files.copy(Path.of("sample-site/static/images/missions/crs-21/06.jpg"), images.resolve("a.jpg"));
        Files.copy(Path.of("sample-site/static/images/missions/spirit/01.png"), images.resolve("sub/b.png"));
        Files.copy(Path.of("sample-site/static/images/missions/crs-21/06.jpg"), images.resolve("a.16x9.jpg")); // a variant: skipped
        Files.writeString(images.resolve("notes.jpg"), "not an image", StandardCharsets.UTF_8);
        return images;
    }

    @Test
    void lastLineIsTheRateAndVariantsAreWritten() throws Exception {
        Path images = folder();
        Path out = dir.resolve("out");
        Ran r = run("bench", "crops", "--images", images.toString(), "--out", out.toString(), "--threads", "2",
                "--write-list", dir.resolve("list.tsv").toString());
        assertThat(r.exit()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(lines.size() - 1)).matches("images 2 seconds \\d+\\.\\d{3} images_per_s \\d+\\.\\d{2}");
        assertThat(r.err()).contains("3 images from").contains("notes.jpg").contains("not a JPEG, PNG or WebP image")
                .contains("peak RSS");
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("00000.16x9.jpg", "00000.1x1.jpg", "00000.4x3.jpg",
                            "00002.16x9.jpg", "00002.1x1.jpg", "00002.4x3.jpg");
        }
        assertThat(Files.readAllLines(dir.resolve("list.tsv"))).hasSize(3).allMatch(l -> l.endsWith("\t0.5\t0.5"));
    }

    @Test
    void jsonCarriesTheSameFigures() throws Exception {
        Path images = folder();
        Ran r = run("bench", "crops", "--images", images.toString(), "--json");
        assertThat(r.exit()).isZero();
        List<String> lines = r.out().lines().toList();
        JsonNode j = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertThat(j.get("images").asInt()).isEqualTo(2);
        assertThat(j.get("failed").asInt()).isEqualTo(1);
        assertThat(j.get("images_per_s").asDouble()).isPositive();
        assertThat(j.get("peak_rss_bytes").asLong()).isPositive();
    }

    @Test
    void siteRootUsesCachedFocalPoints() throws Exception {
        Path site = dir.resolve("site");
        dev.imagevision.pipeline.CropBenchSites.scoredCopyOfSample(site);
        Ran r = run("bench", "crops", "--images", site.toString(), "--write-list", dir.resolve("list.tsv").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("29 images from").contains("site root: 29 with a cached focal point");
        assertThat(Files.readAllLines(dir.resolve("list.tsv"))).hasSize(29).anyMatch(l -> !l.endsWith("\t0.5\t0.5"));
    }

    @Test
    void peakRssIsReadFromProcStatus() {
        assertThat(dev.imagevision.bench.PeakRss.parse(List.of("Name:\tjava", "VmPeak:\t 1 kB", "VmHWM:\t  312456 kB")))
                .isEqualTo(312456L * 1024);
        assertThat(dev.imagevision.bench.PeakRss.parse(List.of("Name:\tjava"))).isNull();
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertThat(run("bench", "crops", "--images", dir.resolve("missing").toString()).exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(run("bench").exit()).isEqualTo(Main.BAD_INPUT);
    }
}
