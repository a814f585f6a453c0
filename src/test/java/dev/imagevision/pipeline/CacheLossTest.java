package dev.imagevision.pipeline;

import dev.imagevision.judgements.ProviderChoice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.manifest.ManifestSchemaAssert;
import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.site.Json;
import dev.imagevision.site.Site;
import dev.imagevision.testing.CountingProvider;
import dev.imagevision.testing.Runs;
import dev.imagevision.testing.SampleSite;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.ProviderException;
import dev.imagevision.vision.Scored;
import dev.imagevision.vision.VisionProvider;
import dev.imagevision.vision.local.LocalProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spec M19/M20 without .image-cache/ (a fresh clone, a CI checkout): the manifest's score_key tells
 * an unchanged image from a changed one, so the default run re-scores nothing it need not.
 */
class CacheLossTest {
    static LocalProvider local;
    static final String MANIFEST = "static/data/image-vision.json";
    static final String REPORT = "static/data/audit-report.html";
    static final String CHANGED = "/images/missions/hubble/02.jpg";

    @BeforeAll
    static void provider() {
        local = new LocalProvider(dev.imagevision.testing.Runs.CODEC, 268_402_689L);
    }

    static void deleteCache(Path site) throws IOException {
        try (Stream<Path> files = Files.walk(site.resolve(".image-cache"))) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
        }
    }

    static Map<String, Long> imageMtimes(Path site) {
        Map<String, Long> all = SampleSite.mtimes(site);
        all.keySet().removeIf(k -> !k.startsWith("static/images/"));
        return all;
    }

    /** The same image with a JPEG comment after SOI: new bytes, same pixels. */
    static void touchBytes(Path file) throws IOException {
        byte[] real = Files.readAllBytes(file);
        byte[] comment = {(byte) 0xFF, (byte) 0xFE, 0, 5, 'n', 'e', 'w'};
        byte[] out = new byte[real.length + comment.length];
        System.arraycopy(real, 0, out, 0, 2);
        System.arraycopy(comment, 0, out, 2, comment.length);
        System.arraycopy(real, 2, out, 2 + comment.length, real.length - 2);
        Files.write(file, out);
    }

    static RunSummary dryRun(Path site, VisionProvider p, ScopeRequest scope) throws IOException {
        RunOptions o = new RunOptions(scope, false, false, false, true, ProviderChoice.of(p), Runs.CLOCK, Progress.NONE,
                new PrintStream(new ByteArrayOutputStream()), true, false, dev.imagevision.testing.Runs.CODEC);
        return Pipeline.run(Site.load(site), o);
    }

    /** The local provider under another prompt version: every score key differs. */
    static VisionProvider promptBumped() {
        return new VisionProvider() {
            public String id() {
                return local.id();
            }

            public String model() {
                return local.model();
            }

            public String promptVersion() {
                return local.promptVersion() + "-next";
            }

            public Scored judge(Path image, ImageContext context) throws ProviderException {
                return local.judge(image, context);
            }
        };
    }

    @Test
    void withoutTheCacheTheDefaultRunCallsNothingAndThenScoresExactlyTheChangedImage(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Runs.score(site, local);
        byte[] manifest = Files.readAllBytes(site.resolve(MANIFEST));
        ManifestSchemaAssert.assertValid(manifest);
        Manifest m = ManifestFile.read(site.resolve(MANIFEST));
        m.entries().forEach((path, e) -> assertThat(e.scoreKey()).as(path).matches("[0-9a-f]{64}"));
        Map<String, Long> images = imageMtimes(site);
        byte[] report = Files.readAllBytes(site.resolve(REPORT));

        deleteCache(site);
        CountingProvider p = new CountingProvider(local);
        RunSummary s = Runs.score(site, p);
        assertThat(p.calls()).isZero();
        assertThat(s.selected()).isZero();
        assertThat(s.failed()).isZero();
        assertThat(Files.readAllBytes(site.resolve(MANIFEST))).isEqualTo(manifest);
        assertThat(imageMtimes(site)).as("no variant cut again").isEqualTo(images);
        // the report is drawn from the manifest: the same cards, scores and costs, nothing shown as failed
        assertThat(Files.readAllBytes(site.resolve(REPORT))).isEqualTo(report);

        touchBytes(site.resolve("static" + CHANGED));
        CountingProvider q = new CountingProvider(local);
        RunSummary t = Runs.score(site, q);
        assertThat(q.calls()).isEqualTo(1);
        assertThat(q.contexts()).singleElement().satisfies(c -> assertThat(c.path()).isEqualTo(CHANGED));
        assertThat(t.selected()).isEqualTo(1);
        Manifest after = ManifestFile.read(site.resolve(MANIFEST));
        assertThat(after.entries().get(CHANGED).scoreKey()).isNotEqualTo(m.entries().get(CHANGED).scoreKey());
        m.entries().forEach((path, e) -> {
            if (!path.equals(CHANGED)) assertThat(after.entries().get(path).scoreKey()).as(path).isEqualTo(e.scoreKey());
        });
    }

    @Test
    void anotherPromptVersionOrAnExplicitScopeStillMeansWorkAndAnEntryWithoutAKeyIsAdopted(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Runs.score(site, local);
        deleteCache(site);

        assertThat(dryRun(site, local, ScopeRequest.defaults()).wouldScore()).isZero();
        assertThat(dryRun(site, promptBumped(), ScopeRequest.defaults()).wouldScore()).as("prompt version changed").isEqualTo(29);
        assertThat(dryRun(site, local, new ScopeRequest("crs-21", null, null, null, null, null, false, false)).wouldScore())
                .as("--mission keeps today's rule: no cached score, scored").isEqualTo(6);

        // an entry without score_key (another tool's, or ours from before the key existed) is adopted, not scored
        Path file = site.resolve(MANIFEST);
        ObjectNode tree = (ObjectNode) Json.LENIENT.readTree(file.toFile());
        ((ObjectNode) tree.get("entries").get(CHANGED)).remove("score_key");
        Files.write(file, Json.stableBytes(tree));
        RunSummary dry = dryRun(site, local, ScopeRequest.defaults());
        assertThat(dry.wouldScore()).isZero();
        assertThat(dry.adopted()).isEqualTo(1);
    }

    @Test
    void anImageFlaggedBeforeItWasEverScoredIsNotCutAgainWithoutTheCache(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Files.writeString(site.resolve("static/data/image-curation.json"), """
                {"version": "1.0", "entries": [{"path": "%s", "reason": "blurry", "flaggedAt": "2026-11-02T00:00:00.000Z"}]}
                """.formatted(CHANGED));
        Runs.score(site, local);
        deleteCache(site);
        // its variants' marks say what they were cut with: a fresh clone (or a read-only one) has nothing to do
        RunSummary s = Runs.score(site, new CountingProvider(local));
        assertThat(s.selected()).isZero();
        assertThat(s.cropped()).isZero();
    }

    @Test
    void aCurrentEntryWhoseVariantIsGoneOrWhoseFlagWasLiftedNeedsAScoreAgain(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        String flagged = "/images/missions/crs-21/03.jpg";
        Files.writeString(site.resolve("static/data/image-curation.json"), """
                {"version": "1.0", "entries": [{"path": "%s", "reason": "blurry", "flaggedAt": "2026-11-02T00:00:00.000Z"}]}
                """.formatted(flagged));
        Runs.score(site, local);
        deleteCache(site);
        assertThat(dryRun(site, local, ScopeRequest.defaults()).wouldScore()).as("a kept flag needs nothing").isZero();

        Manifest m = ManifestFile.read(site.resolve(MANIFEST));
        Files.delete(site.resolve("static" + m.entries().get(CHANGED).variants().get("4x3")));
        assertThat(dryRun(site, local, ScopeRequest.defaults()).wouldScore()).as("a variant to cut again").isEqualTo(1);

        Files.writeString(site.resolve("static/data/image-curation.json"), "{\"version\": \"1.0\", \"entries\": []}\n");
        assertThat(dryRun(site, local, ScopeRequest.defaults()).wouldScore()).as("and the unflagged image's own score")
                .isEqualTo(2);
    }
}
