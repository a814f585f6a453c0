package dev.imagevision.pipeline;

import dev.imagevision.judgements.ProviderChoice;

import static dev.imagevision.testing.SampleSite.copyTree;
import static dev.imagevision.testing.CraftedImages.pngHeaderOnly;
import dev.imagevision.testing.CountingProvider;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.crop.CropWindow;
import dev.imagevision.crop.ImageHeader;
import dev.imagevision.crop.VariantCutter;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteConfig;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.Scored;
import dev.imagevision.vision.SubjectBox;
import dev.imagevision.vision.Usage;
import dev.imagevision.vision.VisionProvider;
import dev.imagevision.vision.local.LocalProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crop stage end to end through {@link Pipeline#run}, on copies of the bundled sample site
 * scored once with the offline provider.
 */
class CroppingPipelineTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-01T12:00:00Z"), ZoneOffset.UTC);
    private static final String MANIFEST = "static/data/image-vision.json";

    @TempDir
    static Path shared;
    static Path scored;
    static RunSummary first;

    @TempDir
    Path work;

    static CountingProvider local() {
        return new CountingProvider(new LocalProvider(dev.imagevision.testing.Runs.CODEC, SiteConfig.DEFAULT_MAX_INPUT_PIXELS));
    }

    static RunSummary run(Path root, VisionProvider provider, boolean all, boolean skipScoring, boolean skipCrops,
                          boolean forceScore) throws IOException {
        Site site = Site.load(root);
        ScopeRequest scope = new ScopeRequest(null, null, null, null, null, null, all, false);
        RunOptions o = new RunOptions(scope, forceScore, skipScoring, skipCrops, false, ProviderChoice.of(provider), CLOCK,
                Progress.NONE, new PrintStream(OutputStream.nullOutputStream()), true, false, dev.imagevision.testing.Runs.CODEC);
        return Pipeline.run(site, o);
    }

    @BeforeAll
    static void scoreTheSampleSiteOnce() throws IOException {
        scored = shared.resolve("scored");
        copyTree(Path.of("sample-site"), scored);
        CountingProvider provider = local();
        first = run(scored, provider, true, false, false, false);
        assertThat(provider.calls()).isEqualTo(29);
    }

    @Test
    void firstRunCutsThreeVariantsOfEveryImageAndRecordsTheirWindows() throws Exception {
        assertThat(first.problems()).isEmpty();
        assertThat(first.cropped()).isEqualTo(29);
        Site site = Site.load(scored);
        Manifest m = ManifestFile.read(scored.resolve(MANIFEST));
        assertThat(m.entries()).hasSize(29);
        for (Map.Entry<String, ManifestEntry> e : m.entries().entrySet()) {
            ManifestEntry entry = e.getValue();
            Path source = site.root().resolveImage(e.getKey());
            ImageHeader h = ImageHeader.read(source);
            List<CropWindow> expected = VariantCutter.windows(h.orientedWidth(), h.orientedHeight(), entry.focalPoint(),
                    entry.subjectBox(), site.config().variants());
            assertThat(entry.variants()).containsOnlyKeys("1x1", "4x3", "16x9");
            assertThat(entry.cropWindows()).containsOnlyKeys("1x1", "4x3", "16x9");
            for (int i = 0; i < expected.size(); i++) {
                String id = site.config().variants().get(i).id();
                CropWindow w = expected.get(i);
                assertThat(entry.cropWindows().get(id)).as(e.getKey() + " " + id)
                        .isEqualTo(w.asFraction(h.orientedWidth(), h.orientedHeight()));
                Path variant = site.root().resolveImage(entry.variants().get(id));
                ImageHeader vh = ImageHeader.read(variant);
                assertThat(List.of(vh.width(), vh.height())).as(entry.variants().get(id))
                        .containsExactly(w.outWidth(), w.outHeight());
            }
        }
        // the manifest text itself carries the windows as fractions
        String text = Files.readString(scored.resolve(MANIFEST));
        assertThat(text).contains("\"crop_windows\"");
    }

    @Test
    void warmRunCallsNoProviderAndRewritesNothing() throws Exception {
        Path root = copyOfScored();
        Map<String, String> before = snapshot(root);
        CountingProvider provider = local();
        RunSummary incremental = run(root, provider, false, false, false, false);
        RunSummary all = run(root, provider, true, false, false, false);
        assertThat(provider.calls()).isZero();
        assertThat(incremental.cropped()).isZero();
        assertThat(all.cropped()).isZero();
        assertThat(all.problems()).isEmpty();
        assertThat(snapshot(root)).as("every file's size and modification time").isEqualTo(before);
    }

    @Test
    void aWarmRunKnowsEverySourcesWindowsWithoutOpeningIt() throws Exception {
        Path root = copyOfScored();
        byte[] manifest = Files.readAllBytes(root.resolve(MANIFEST));
        // the first run recorded each source's pixel size with its stat: give one source same-length
        // garbage under the same stat, so a run that opened it to plan its windows would fail on it
        Site site = Site.load(root);
        Path source = site.root().resolveImage(site.sources().get(0).path());
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(source);
        Files.write(source, new byte[(int) Files.size(source)]);
        Files.setLastModifiedTime(source, mtime);
        CountingProvider provider = local();
        RunSummary all = run(root, provider, true, false, false, false);
        assertThat(all.problems()).isEmpty();
        assertThat(provider.calls()).isZero();
        assertThat(Files.readAllBytes(root.resolve(MANIFEST))).isEqualTo(manifest);
    }

    @Test
    void missingVariantsAreCopiedBackFromTheCacheByteForByte() throws Exception {
        Path root = copyOfScored();
        Map<Path, byte[]> variants = variantFiles(root);
        assertThat(variants).hasSize(87);
        for (Path p : variants.keySet()) Files.delete(p);
        RunSummary s = run(root, local(), true, false, false, false);
        assertThat(s.cropped()).as("nothing had to be cut: every variant was in the cache").isZero();
        for (Map.Entry<Path, byte[]> v : variants.entrySet()) assertThat(Files.readAllBytes(v.getKey())).isEqualTo(v.getValue());
    }

    @Test
    void skipCropsNeverBlanksAnExistingVariantPath() throws Exception {
        Path root = copyOfScored();
        Manifest before = ManifestFile.read(root.resolve(MANIFEST));
        run(root, local(), true, false, true, true); // re-score everything, crop nothing
        run(root, local(), false, false, true, false);
        Manifest after = ManifestFile.read(root.resolve(MANIFEST));
        for (Map.Entry<String, ManifestEntry> e : before.entries().entrySet()) {
            assertThat(after.entries().get(e.getKey()).variants()).as(e.getKey()).isEqualTo(e.getValue().variants()).isNotEmpty();
            assertThat(after.entries().get(e.getKey()).cropWindows()).isEqualTo(e.getValue().cropWindows());
        }
    }

    @Test
    void skipScoringRecropsFromCachedScoresAndNeverCallsTheProvider() throws Exception {
        Path root = copyOfScored();
        Map<Path, byte[]> variants = variantFiles(root);
        for (Path p : variants.keySet()) Files.delete(p);
        deleteTree(root.resolve(".image-cache/variants"));
        Files.delete(root.resolve(".image-cache/stat-index.json"));
        AtomicInteger built = new AtomicInteger();
        CountingProvider provider = local();
        Site site = Site.load(root);
        RunOptions o = new RunOptions(new ScopeRequest(null, null, null, null, null, null, true, false), false, true,
                false, false, new ProviderChoice(provider.id(), provider.model(), provider.promptVersion(), () -> {
                    built.incrementAndGet();
                    return provider;
                }), CLOCK, Progress.NONE, new PrintStream(OutputStream.nullOutputStream()), true, false, dev.imagevision.testing.Runs.CODEC);
        RunSummary s = Pipeline.run(site, o);
        assertThat(provider.calls()).isZero();
        assertThat(built.get()).as("the provider is never even built").isZero();
        assertThat(s.providerCalls()).isZero();
        assertThat(s.cropped()).isEqualTo(29);
        for (Map.Entry<Path, byte[]> v : variants.entrySet()) {
            assertThat(Files.readAllBytes(v.getKey())).as("re-cut " + v.getKey() + " is byte-identical").isEqualTo(v.getValue());
        }
    }

    /** A provider that judges without looking, so that hostile files reach the crop stage. */
    static final class Blind implements VisionProvider {
        @Override
        public String id() {
            return "blind";
        }

        @Override
        public String model() {
            return "blind-1";
        }

        @Override
        public String promptVersion() {
            return "1";
        }

        @Override
        public Scored judge(Path image, ImageContext context) {
            return new Scored(new Judgement(7, "A test image.", Category.SPACECRAFT, new FocalPoint(0.4, 0.5),
                    new SubjectBox(0.3, 0.3, 0.3, 0.3), true, null), Usage.FREE);
        }
    }

    @Test
    void hostileFilesFailOneByOneAndTheRunCompletes() throws Exception {
        Path root = work.resolve("site");
        copyTree(Path.of("sample-site"), root);
        Path dir = root.resolve("static/images/missions/hostile");
        Files.createDirectories(dir);
        byte[] good = Files.readAllBytes(root.resolve("static/images/missions/crs-21/06.jpg"));
        Files.write(dir.resolve("01.jpg"), Arrays.copyOf(good, good.length / 2));
        Files.write(dir.resolve("02.jpg"), new byte[0]);
        Files.write(dir.resolve("03.png"), pngHeaderOnly(30_000, 30_000));
        Files.write(dir.resolve("04.jpg"), "<html><body>Rate limited</body></html>".getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("05.jpg"), encode(root.resolve("static/images/missions/crs-21/06.jpg"), ".png"));
        Files.write(dir.resolve("06.jpg"), encode(root.resolve("static/images/missions/crs-21/06.jpg"), ".webp"));
        addProvenance(root, List.of("01.jpg", "02.jpg", "03.png", "04.jpg", "05.jpg", "06.jpg"));

        RunSummary s = run(root, new Blind(), true, false, false, false);

        Map<String, String> crop = new TreeMap<>();
        s.problems().stream().filter(p -> p.stage().equals("crop")).forEach(p -> crop.put(p.path(), p.message()));
        assertThat(crop).containsOnlyKeys("/images/missions/hostile/01.jpg", "/images/missions/hostile/02.jpg",
                "/images/missions/hostile/03.png", "/images/missions/hostile/04.jpg");
        assertThat(crop.get("/images/missions/hostile/01.jpg")).contains("truncated JPEG");
        assertThat(crop.get("/images/missions/hostile/02.jpg")).isEqualTo("empty file (0 bytes)");
        assertThat(crop.get("/images/missions/hostile/03.png")).contains("30000x30000").contains("nothing was decoded");
        assertThat(crop.get("/images/missions/hostile/04.jpg")).contains("not a JPEG, PNG or WebP image");
        assertThat(s.cropped()).as("every other image was cut").isEqualTo(29 + 2);
        Manifest m = ManifestFile.read(root.resolve(MANIFEST));
        for (String ok : List.of("/images/missions/hostile/05.jpg", "/images/missions/hostile/06.jpg")) {
            ManifestEntry e = m.entries().get(ok);
            assertThat(e.variants()).as(ok).hasSize(3);
            for (String v : e.variants().values()) {
                ImageHeader h = ImageHeader.read(Site.load(root).root().resolveImage(v));
                assertThat(h.format()).isEqualTo(dev.imagevision.crop.ImageFormat.JPEG);
            }
        }
        assertThat(m.entries().get("/images/missions/hostile/01.jpg").variants()).isNull();
    }

    // ---- helpers

    private Path copyOfScored() throws IOException {
        Path root = work.resolve("site");
        copyTree(scored, root);
        return root;
    }

    /** Size and modification time (ns) of every file but the run lock, which each run takes. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (var files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (p.getFileName().toString().equals("run.lock")) continue;
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                out.put(root.relativize(p).toString(), a.size() + "@" + a.lastModifiedTime().toInstant());
            }
        }
        return out;
    }

    private static Map<Path, byte[]> variantFiles(Path root) throws IOException {
        Map<Path, byte[]> out = new TreeMap<>();
        try (var files = Files.walk(root.resolve("static/images"))) {
            for (Path p : files.filter(f -> f.getFileName().toString().matches(".*\\.(1x1|4x3|16x9)\\.jpg")).toList()) {
                out.put(p, Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static void addProvenance(Path root, List<String> names) throws IOException {
        Path file = root.resolve("static/data/image-provenance.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode prov = (ObjectNode) json.readTree(file.toFile());
        ArrayNode entries = (ArrayNode) prov.get("entries");
        for (String n : names) {
            ObjectNode e = entries.addObject();
            e.put("id", "hostile-" + n);
            e.put("path", "/images/missions/hostile/" + n);
            e.put("source_type", "test");
            e.put("agency", "NASA");
            e.put("license_short", "PD-NASA");
        }
        json.writeValue(file.toFile(), prov);
    }

    /** A sample image re-encoded (PNG, WebP) with OpenCV's encoder. */
    private static byte[] encode(Path jpeg, String ext) {
        try (var m = org.bytedeco.opencv.global.opencv_imgcodecs.imread(jpeg.toString());
             var out = new org.bytedeco.javacpp.BytePointer()) {
            org.bytedeco.opencv.global.opencv_imgcodecs.imencode(ext, m, out);
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
