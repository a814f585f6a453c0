package dev.imagevision.pipeline;

import dev.imagevision.inventory.Problem;
import dev.imagevision.judgements.ProviderChoice;

import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.testing.CountingProvider;
import dev.imagevision.testing.Runs;
import dev.imagevision.testing.SampleSite;
import dev.imagevision.vision.local.LocalProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole line, select → score → crop → manifest → report, on the bundled sample site. */
class PipelineTest {
    static LocalProvider local;

    @BeforeAll
    static void provider() {
        local = new LocalProvider(dev.imagevision.testing.Runs.CODEC, 268_402_689L);
    }

    @Test
    void aSecondRunMakesNoProviderCallAndRewritesNothing(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        CountingProvider first = new CountingProvider(local);
        RunSummary one = Runs.score(site, first);
        assertThat(first.calls()).isEqualTo(29);
        assertThat(one.scored()).isEqualTo(29);
        assertThat(one.failed()).isZero();
        assertThat(one.cropped()).isEqualTo(29);

        Map<String, byte[]> before = SampleSite.snapshot(site, true);
        Map<String, Long> mtimes = SampleSite.mtimes(site);
        CountingProvider second = new CountingProvider(local);
        RunSummary two = Runs.score(site, second);
        assertThat(second.calls()).isZero();
        assertThat(two.providerCalls()).isZero();
        assertThat(two.selected()).isZero(); // incremental: nothing new, nothing changed
        Map<String, byte[]> after = SampleSite.snapshot(site, true);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((k, v) -> assertThat(after.get(k)).as(k).isEqualTo(v));
        assertThat(SampleSite.mtimes(site)).isEqualTo(mtimes);
    }

    @Test
    void forceScoreReasksOnlyForWhatTheScopeMatched(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Runs.score(site, local);
        CountingProvider alone = new CountingProvider(local);
        Runs.score(site, alone, ScopeRequest.defaults(), true, false, false);
        assertThat(alone.calls()).as("--force-score with no scope flag: new-only, and nothing is new").isZero();
        CountingProvider mission = new CountingProvider(local);
        Runs.score(site, mission, new ScopeRequest("crs-21", null, null, null, null, null, false, false), true, false, false);
        assertThat(mission.calls()).as("--mission crs-21 --force-score: its six images again").isEqualTo(6);
        CountingProvider all = new CountingProvider(local);
        Runs.score(site, all, new ScopeRequest(null, null, null, null, null, null, true, false), true, false, false);
        assertThat(all.calls()).as("--all --force-score: the whole corpus").isEqualTo(29);
    }

    @Test
    void everySourceGetsAnEntryWithThreeVariantsOnDisk(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Runs.score(site, local);
        Manifest m = ManifestFile.read(site.resolve("static/data/image-vision.json"));
        assertThat(m.entries()).hasSize(29);
        assertThat(m.visionProvider()).isEqualTo("local");
        assertThat(m.generatedAt()).isEqualTo("2026-11-01T12:00:00.000Z");
        m.entries().forEach((path, e) -> {
            assertThat(e.variants()).containsOnlyKeys("1x1", "4x3", "16x9");
            e.variants().values().forEach(v -> assertThat(site.resolve("static" + v)).isRegularFile());
            assertThat(e.cropWindows()).containsOnlyKeys("1x1", "4x3", "16x9");
            assertThat(e.selection()).isNotNull();
            assertThat(e.score()).isBetween(1, 10);
        });
        assertThat(site.resolve("static/data/audit-report.html")).isRegularFile();
        assertThat(Files.readString(site.resolve("static/data/image-provenance.json")))
                .isEqualTo(Files.readString(SampleSite.source().resolve("static/data/image-provenance.json")));
    }

    @Test
    void outOfScopeEntriesAreKeptAndAForcedMissionRunCallsOnlyForThatMission(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Runs.score(site, local);
        byte[] manifest = Files.readAllBytes(site.resolve("static/data/image-vision.json"));
        CountingProvider counting = new CountingProvider(local);
        RunSummary s = Runs.score(site, counting, new ScopeRequest("voyager2", null, null, null, null, null, false, false),
                true, false, false);
        assertThat(counting.calls()).isEqualTo(2);
        assertThat(s.selected()).isEqualTo(2);
        // a deterministic provider gives the same answers: the manifest only differs in scored_at
        Manifest after = ManifestFile.read(site.resolve("static/data/image-vision.json"));
        assertThat(after.entries()).hasSize(29);
        Manifest before = ManifestFile.read(writeTo(dir.resolve("before.json"), manifest));
        before.entries().forEach((path, e) -> {
            if (!path.contains("/voyager2/")) assertThat(after.entries().get(path)).as(path).isEqualTo(e);
        });
    }

    static Path writeTo(Path f, byte[] data) throws Exception {
        Files.write(f, data);
        return f;
    }

    @Test
    void badImagesFailByNameWhileTheRestIsProcessed(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Path images = site.resolve("static/images/missions/hubble");
        Files.writeString(images.resolve("90.jpg"), "<!DOCTYPE html><html>not an image</html>");
        Files.write(images.resolve("91.jpg"), new byte[0]);
        byte[] real = Files.readAllBytes(images.resolve("01.jpg"));
        Files.write(images.resolve("92.jpg"), java.util.Arrays.copyOf(real, 600));
        Path prov = site.resolve("static/data/image-provenance.json");
        String text = Files.readString(prov);
        String extra = """
                {"id": "x1", "path": "/images/missions/hubble/90.jpg", "agency": "NASA"},
                {"id": "x2", "path": "/images/missions/hubble/91.jpg", "agency": "NASA"},
                {"id": "x3", "path": "/images/missions/hubble/92.jpg", "agency": "NASA"},
                {"id": "x4", "path": "/images/missions/hubble/93.jpg", "agency": "NASA"},
                {"id": "x5", "path": "/images/../../../etc/passwd.jpg", "agency": "NASA"},
                """;
        Files.writeString(prov, text.replaceFirst("\"entries\": \\[", "\"entries\": [" + extra));

        RunSummary s = Runs.score(site, local);
        assertThat(s.problems()).extracting(Problem::path).contains("/images/missions/hubble/90.jpg",
                "/images/missions/hubble/91.jpg", "/images/missions/hubble/92.jpg", "/images/missions/hubble/93.jpg",
                "/images/../../../etc/passwd.jpg");
        assertThat(s.problems()).filteredOn(p -> p.path().endsWith("90.jpg")).first()
                .satisfies(p -> assertThat(p.message()).contains("HTML"));
        assertThat(s.problems()).filteredOn(p -> p.path().endsWith("91.jpg")).first()
                .satisfies(p -> assertThat(p.message()).contains("empty file"));
        assertThat(s.problems()).filteredOn(p -> p.path().endsWith("93.jpg")).first()
                .satisfies(p -> assertThat(p.message()).contains("missing"));
        assertThat(s.failed()).isEqualTo(5);
        Manifest m = ManifestFile.read(site.resolve("static/data/image-vision.json"));
        assertThat(m.entries()).hasSize(29).doesNotContainKey("/images/missions/hubble/90.jpg");

        // the next run keeps everything it had and reports the same failures again, without asking the
        // provider about bytes that already failed
        Map<String, Long> mtimes = SampleSite.mtimes(site);
        CountingProvider counting = new CountingProvider(local);
        RunSummary again = Runs.score(site, counting);
        assertThat(again.failed()).isEqualTo(5);
        assertThat(counting.calls()).isZero();
        assertThat(again.problems()).filteredOn(p -> p.path().endsWith("90.jpg")).first()
                .satisfies(p -> assertThat(p.message()).contains("HTML"));
        assertThat(ManifestFile.read(site.resolve("static/data/image-vision.json")).entries()).hasSize(29);
        assertThat(SampleSite.mtimes(site)).isEqualTo(mtimes);

        // a fixed file is new bytes (a whole JPEG, with a comment so it is no copy of a cached one): judged at once
        byte[] comment = {(byte) 0xFF, (byte) 0xFE, 0, 5, 'n', 'e', 'w'};
        byte[] repaired = new byte[real.length + comment.length];
        System.arraycopy(real, 0, repaired, 0, 2);
        System.arraycopy(comment, 0, repaired, 2, comment.length);
        System.arraycopy(real, 2, repaired, 2 + comment.length, real.length - 2);
        Files.write(images.resolve("92.jpg"), repaired);
        CountingProvider fixed = new CountingProvider(local);
        RunSummary third = Runs.score(site, fixed);
        assertThat(fixed.calls()).isEqualTo(1);
        assertThat(third.failed()).isEqualTo(4);
        assertThat(ManifestFile.read(site.resolve("static/data/image-vision.json")).entries())
                .containsKey("/images/missions/hubble/92.jpg");
    }

    @Test
    void degenerateFramesFailWithOneLineThatAWarmRunRemembers(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Path images = site.resolve("static/images/missions/hubble");
        String[][] sizes = {{"80", "1", "1"}, {"81", "20000", "10"}, {"82", "10", "20000"}};
        StringBuilder extra = new StringBuilder();
        for (String[] s : sizes) {
            try (org.bytedeco.opencv.opencv_core.Mat m = new org.bytedeco.opencv.opencv_core.Mat(Integer.parseInt(s[2]),
                    Integer.parseInt(s[1]), org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                    new org.bytedeco.opencv.opencv_core.Scalar(30, 90, 160, 0))) {
                org.bytedeco.opencv.global.opencv_imgcodecs.imwrite(images.resolve(s[0] + ".png").toString(), m);
            }
            extra.append("{\"id\": \"d").append(s[0]).append("\", \"path\": \"/images/missions/hubble/").append(s[0])
                    .append(".png\", \"agency\": \"NASA\"},\n");
        }
        Path prov = site.resolve("static/data/image-provenance.json");
        Files.writeString(prov, Files.readString(prov).replaceFirst("\"entries\": \\[", "\"entries\": [" + extra));

        RunSummary s = Runs.score(site, local);
        assertThat(s.failed()).isEqualTo(3);
        assertThat(s.problems()).hasSize(3).allSatisfy(p -> {
            assertThat(p.message()).doesNotContain("\n").doesNotContain("OpenCV").contains("to analyse");
        });
        CountingProvider counting = new CountingProvider(local);
        RunSummary again = Runs.score(site, counting);
        assertThat(counting.calls()).as("an image fault is remembered: a warm run asks nothing").isZero();
        assertThat(again.failed()).isEqualTo(3);
    }

    @Test
    void aDryRunWritesNothing(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Map<String, byte[]> before = SampleSite.snapshot(site, true);
        var o = new RunOptions(ScopeRequest.defaults(), false, false, false, true, ProviderChoice.of(local), Runs.CLOCK,
                Progress.NONE, new java.io.PrintStream(new java.io.ByteArrayOutputStream()), true, false, dev.imagevision.testing.Runs.CODEC);
        RunSummary s = Pipeline.run(dev.imagevision.site.Site.load(site), o);
        assertThat(s.dryRun()).isTrue();
        assertThat(s.wouldScore()).isEqualTo(29);
        assertThat(SampleSite.snapshot(site, true).keySet()).isEqualTo(before.keySet());
    }

    @Test
    void aSecondRunWaitsForNoOneButRefusesWhileTheLockIsHeld(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        try (RunLock held = RunLock.acquire(site.resolve(".image-cache"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Runs.score(site, local))
                    .isInstanceOf(RunLock.LockedException.class).hasMessageContaining("another imagevision run");
        }
        assertThat(Runs.score(site, local).scored()).isEqualTo(29);
    }

    @Test
    void aMalformedManifestIsKeptAsideAndRebuiltFromTheCache(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Runs.score(site, local);
        Path manifest = site.resolve("static/data/image-vision.json");
        byte[] good = Files.readAllBytes(manifest);
        byte[] broken = java.util.Arrays.copyOf(good, good.length / 3);
        Files.write(manifest, broken);

        CountingProvider counting = new CountingProvider(local);
        RunSummary s = Runs.score(site, counting, new ScopeRequest(null, null, null, null, null, null, true, false),
                false, false, false);
        assertThat(counting.calls()).isZero();
        assertThat(s.problems()).anySatisfy(p -> assertThat(p.message()).contains("image-vision.json.malformed"));
        assertThat(Files.readAllBytes(site.resolve("static/data/image-vision.json.malformed"))).isEqualTo(broken);
        assertThat(Files.readAllBytes(manifest)).isEqualTo(good);
    }

    @Test
    void theReportIsRenderedAgainOnlyWhenWhatItShowsChanged(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Runs.score(site, local);
        Path report = site.resolve("static/data/audit-report.html");
        byte[] first = Files.readAllBytes(report);
        long mtime = Files.getLastModifiedTime(report).toMillis();
        Runs.score(site, local);
        assertThat(Files.getLastModifiedTime(report).toMillis()).isEqualTo(mtime);

        // the editor flags an image: the page must show it at once
        Files.writeString(site.resolve("static/data/image-curation.json"), """
                {"version": "1.0", "entries": [{"path": "/images/missions/hubble/03.jpg", "reason": "Looks like a render", "flaggedAt": "2026-11-02T00:00:00.000Z"}]}
                """);
        Runs.score(site, local);
        assertThat(Files.readAllBytes(report)).isNotEqualTo(first);
        assertThat(Files.readString(report)).contains("Looks like a render");
    }
}
