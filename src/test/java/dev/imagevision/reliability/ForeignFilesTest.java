package dev.imagevision.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.inventory.Problem;
import dev.imagevision.pipeline.RunSummary;
import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.testing.Runs;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.Scored;
import dev.imagevision.vision.Usage;
import dev.imagevision.vision.VisionProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Files this tool did not write, and names that would make two sources share a variant file
 * (issue: "a file overwritten, one image's crops published as another's"). Every picture here is
 * a solid colour, so a variant shows at a glance whose crop it is.
 */
@Tag("reliability")
class ForeignFilesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DIR = "/images/missions/crs-21/";

    /** Judges every image the same way: the colour of a variant then tells which source it was cut from. */
    static final VisionProvider FIXED = new VisionProvider() {
        public String id() { return "fixed"; }
        public String model() { return "fixed-1"; }
        public String promptVersion() { return "1"; }
        public Scored judge(Path image, ImageContext context) {
            return new Scored(new Judgement(7, "A solid colour.", Category.SPACECRAFT, FocalPoint.CENTRE, null, true, null),
                    Usage.FREE);
        }
    };

    record Site(Path root, ArrayNode rows) {
        void image(String path, Color colour, String format) throws IOException {
            write(path, picture(colour, format));
            row(path);
        }

        void write(String path, byte[] bytes) throws IOException {
            Path f = root.resolve("static" + path);
            Files.createDirectories(f.getParent());
            Files.write(f, bytes);
        }

        void row(String path) {
            rows.addObject().put("id", Integer.toHexString(path.hashCode())).put("path", path)
                    .put("source_type", "test").put("agency", "NASA").put("license_short", "PD");
        }

        void save() throws IOException {
            ObjectNode prov = JSON.createObjectNode();
            prov.set("entries", rows);
            Files.createDirectories(root.resolve("static/data"));
            JSON.writerWithDefaultPrettyPrinter().writeValue(root.resolve("static/data/image-provenance.json").toFile(), prov);
        }

        byte[] bytes(String path) throws IOException {
            return Files.readAllBytes(root.resolve("static" + path));
        }
    }

    static Site site(Path dir) {
        return new Site(dir.resolve("site"), JSON.createArrayNode());
    }

    static byte[] picture(Color colour, String format) throws IOException {
        BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, 160, 120);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    /** The colour a JPEG mostly is: the channel with the highest mean. */
    static String colourOf(byte[] jpeg) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
        long r = 0, g = 0, b = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                r += (p >> 16) & 255;
                g += (p >> 8) & 255;
                b += p & 255;
            }
        }
        return r > g && r > b ? "red" : g > b ? "green" : "blue";
    }

    record Logged(RunSummary summary, String log) {
        Map<String, String> problems() {
            Map<String, String> out = new TreeMap<>();
            for (Problem p : summary.problems()) out.merge(p.path(), p.message(), (a, b) -> a + " | " + b);
            return out;
        }
    }

    static Logged run(Path root) throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RunSummary s = Runs.score(root, FIXED, ScopeRequest.defaults(), false, false, false,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        return new Logged(s, log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFileAtAVariantPathThatThisToolDidNotWriteIsNeverOverwrittenAndIsNamed(@TempDir Path dir) throws Exception {
        Site s = site(dir);
        s.image(DIR + "01.jpg", Color.RED, "jpg");
        // a real, different picture that provenance lists under a variant's name
        s.image(DIR + "01.1x1.jpg", Color.GREEN, "jpg");
        s.image(DIR + "02.jpg", Color.RED, "jpg");
        // a photo an editor put where a variant would go, not in provenance at all
        s.write(DIR + "02.4x3.jpg", picture(Color.BLUE, "jpg"));
        s.image(DIR + "03.jpg", Color.RED, "jpg");
        // a folder where a variant would go
        Files.createDirectories(s.root().resolve("static" + DIR + "03.16x9.jpg"));
        // a link where a variant would go (to a file inside the site that must not change either)
        s.image(DIR + "04.jpg", Color.RED, "jpg");
        s.write("/images/keep/target.jpg", picture(Color.GREEN, "jpg"));
        Files.createSymbolicLink(s.root().resolve("static" + DIR + "04.1x1.jpg"),
                s.root().resolve("static/images/keep/target.jpg"));
        s.save();
        byte[] photo = s.bytes(DIR + "01.1x1.jpg");
        byte[] placed = s.bytes(DIR + "02.4x3.jpg");
        byte[] target = s.bytes("/images/keep/target.jpg");

        Logged first = run(s.root());

        assertThat(first.summary().exitCode()).isZero();
        assertThat(s.bytes(DIR + "01.1x1.jpg")).as("the listed photo").isEqualTo(photo);
        assertThat(s.bytes(DIR + "02.4x3.jpg")).as("the placed photo").isEqualTo(placed);
        assertThat(s.root().resolve("static" + DIR + "03.16x9.jpg")).isDirectory();
        assertThat(Files.isSymbolicLink(s.root().resolve("static" + DIR + "04.1x1.jpg"))).isTrue();
        assertThat(s.bytes("/images/keep/target.jpg")).isEqualTo(target);
        Map<String, String> problems = first.problems();
        assertThat(problems.get(DIR + "01.jpg")).contains(DIR + "01.1x1.jpg", "did not write");
        assertThat(problems.get(DIR + "02.jpg")).contains(DIR + "02.4x3.jpg", "did not write");
        assertThat(problems.get(DIR + "03.jpg")).contains(DIR + "03.16x9.jpg", "directory");
        assertThat(problems.get(DIR + "04.jpg")).contains(DIR + "04.1x1.jpg", "link");

        // every other variant is written and published; the refused ones are not in the manifest
        Manifest m = ManifestFile.read(s.root().resolve("static/data/image-vision.json"));
        assertThat(m.entries().get(DIR + "01.jpg").variants()).containsOnlyKeys("4x3", "16x9");
        assertThat(m.entries().get(DIR + "02.jpg").variants()).containsOnlyKeys("1x1", "16x9");
        assertThat(m.entries().get(DIR + "03.jpg").variants()).containsOnlyKeys("1x1", "4x3");
        for (ManifestEntry e : m.entries().values()) {
            for (String v : e.variants().values()) assertThat(colourOf(s.bytes(v))).as(v).isEqualTo("red");
        }

        // a second run: the same refusals, still nothing touched, nothing else rewritten
        Map<String, byte[]> before = dev.imagevision.testing.SampleSite.snapshot(s.root(), false);
        Logged second = run(s.root());
        assertThat(second.summary().exitCode()).isZero();
        assertThat(second.problems().keySet()).isEqualTo(problems.keySet());
        assertThat(dev.imagevision.testing.SampleSite.snapshot(s.root(), false)).containsExactlyEntriesOf(before);
    }

    @Test
    void ourOwnVariantIsReplacedWhenItsSourceChanges(@TempDir Path dir) throws Exception {
        Site s = site(dir);
        s.image(DIR + "01.jpg", Color.RED, "jpg");
        s.row(DIR + "01.1x1.jpg"); // the site lists its own variants in provenance: never a source, never named
        s.save();
        Logged first = run(s.root());
        assertThat(first.problems()).isEmpty();
        assertThat(colourOf(s.bytes(DIR + "01.1x1.jpg"))).isEqualTo("red");

        s.write(DIR + "01.jpg", picture(Color.BLUE, "jpg"));
        Logged second = run(s.root());
        assertThat(second.problems()).isEmpty();
        for (String id : List.of("1x1", "4x3", "16x9")) {
            assertThat(colourOf(s.bytes(DIR + "01." + id + ".jpg"))).as(id).isEqualTo("blue");
        }
    }

    @Test
    void ourVariantsAreStillOursWithoutTheCacheOrTheManifest(@TempDir Path dir) throws Exception {
        Site s = site(dir);
        s.image(DIR + "01.jpg", Color.RED, "jpg");
        s.save();
        run(s.root());
        // a fresh clone of a site whose manifest was lost too: the files themselves say whose they are
        deleteTree(s.root().resolve(".image-cache"));
        Files.delete(s.root().resolve("static/data/image-vision.json"));
        s.write(DIR + "01.jpg", picture(Color.BLUE, "jpg"));

        Logged again = run(s.root());
        assertThat(again.problems()).isEmpty();
        assertThat(colourOf(s.bytes(DIR + "01.16x9.jpg"))).isEqualTo("blue");
    }

    @Test
    void sourcesWhoseVariantNamesWouldClashEachGetTheirOwnCrops(@TempDir Path dir) throws Exception {
        Site s = site(dir);
        String pair = "/images/missions/pair/";
        s.image(pair + "b.jpg", Color.RED, "jpg");
        s.image(pair + "b.png", Color.BLUE, "png");
        s.image(pair + "c.jpg", Color.RED, "jpg");
        s.image(pair + "c.JPG", Color.BLUE, "jpg");
        s.image(pair + "d.webp.jpg", Color.GREEN, "jpg"); // stem "d.webp": must not meet a qualified "d.webp" name
        s.image(pair + "solo.jpg", Color.GREEN, "jpg");
        s.save();

        Logged first = run(s.root());

        assertThat(first.summary().exitCode()).isZero();
        Manifest m = ManifestFile.read(s.root().resolve("static/data/image-vision.json"));
        Map<String, String> owner = new TreeMap<>();
        Set<String> caseless = new HashSet<>();
        for (var e : m.entries().entrySet()) {
            for (String v : e.getValue().variants().values()) {
                assertThat(owner.put(v, e.getKey())).as(v + " published for two sources").isNull();
                assertThat(caseless.add(v.toLowerCase(Locale.ROOT))).as(v + " differs from another only by case").isTrue();
                assertThat(m.entries()).as(v + " is a source").doesNotContainKey(v);
            }
        }
        Map<String, String> expected = Map.of(pair + "b.jpg", "red", pair + "b.png", "blue", pair + "c.jpg", "red",
                pair + "c.JPG", "blue", pair + "d.webp.jpg", "green", pair + "solo.jpg", "green");
        for (var e : owner.entrySet()) {
            assertThat(colourOf(s.bytes(e.getKey()))).as(e.getKey() + " of " + e.getValue())
                    .isEqualTo(expected.get(e.getValue()));
        }
        // the lone source keeps the documented default names
        assertThat(m.entries().get(pair + "solo.jpg").variants()).containsEntry("1x1", pair + "solo.1x1.jpg");
        // every source got its variants or was named with the reason
        for (String src : expected.keySet()) {
            ManifestEntry e = m.entries().get(src);
            if (e.variants().size() < 3) assertThat(first.problems()).as(src).containsKey(src);
        }
    }

    @Test
    void onlyOurOwnVariantRowsSvgsAndThumbnailsAreSkippedWithoutAWord(@TempDir Path dir) throws Exception {
        Site s = site(dir);
        s.image(DIR + "poster.2048x1024.jpg", Color.RED, "jpg");
        s.image(DIR + "query.jpg?v=2", Color.RED, "jpg");
        s.image(DIR + "frag.jpg#top", Color.RED, "jpg");
        s.image(DIR + "anim.gif", Color.RED, "gif");
        s.image(DIR + "05.jpg", Color.RED, "jpg");
        s.row(DIR + "05.1x1.jpg");
        s.row(DIR + "logo.svg");
        s.image("/images/thumbnails/t.jpg", Color.RED, "jpg");
        s.save();

        Logged run = run(s.root());

        Manifest m = ManifestFile.read(s.root().resolve("static/data/image-vision.json"));
        assertThat(m.entries()).containsKey(DIR + "poster.2048x1024.jpg");
        assertThat(m.entries().get(DIR + "poster.2048x1024.jpg").variants()).hasSize(3);
        Map<String, String> problems = run.problems();
        assertThat(problems.get(DIR + "query.jpg?v=2")).contains("query");
        assertThat(problems.get(DIR + "frag.jpg#top")).contains("fragment");
        assertThat(problems.get(DIR + "anim.gif")).contains("not an image path");
        assertThat(problems.keySet()).as("silent: our variant row, the SVG, the thumbnail")
                .containsExactlyInAnyOrder(DIR + "query.jpg?v=2", DIR + "frag.jpg#top", DIR + "anim.gif");
        assertThat(run.summary().exitCode()).isZero();
    }

    @Test
    void aLegalLongFileNameFailsOnlyItsOwnEntry(@TempDir Path dir) throws Exception {
        Site s = site(dir);
        String long240 = DIR + "a".repeat(236) + ".jpg";  // 240 bytes: its variants fit in 255, temporary names must too
        String long252 = DIR + "b".repeat(248) + ".jpg";  // 252 bytes: "<stem>.16x9.jpg" would not fit
        s.image(long240, Color.RED, "jpg");
        s.image(long252, Color.RED, "jpg");
        s.image(DIR + "01.jpg", Color.RED, "jpg");
        s.save();

        Logged run = run(s.root());

        assertThat(run.summary().exitCode()).isZero();
        Manifest m = ManifestFile.read(s.root().resolve("static/data/image-vision.json"));
        assertThat(m.entries().get(long240)).as(run.problems().toString()).isNotNull();
        assertThat(m.entries().get(long240).variants()).hasSize(3);
        assertThat(m.entries().get(DIR + "01.jpg").variants()).hasSize(3);
        assertThat(run.problems().get(long252)).contains("too long");
        assertThat(m.entries().get(long252).score()).as("still judged").isEqualTo(7);
        assertThat(run.problems().keySet()).containsExactly(long252);
    }

    @Test
    void rowsThatNameOneFileThroughALinkedFolderNeverShareItOrItsVariants(@TempDir Path dir) throws Exception {
        Site s = site(dir);
        s.image("/images/missions/a/x.jpg", Color.RED, "jpg");
        s.write("/images/missions/a/y.png", picture(Color.BLUE, "png"));
        // a folder linked inside the static folder: /images/missions/b/ is /images/missions/a/
        Files.createSymbolicLink(s.root().resolve("static/images/missions/b"), s.root().resolve("static/images/missions/a"));
        s.row("/images/missions/b/x.jpg");
        s.row("/images/missions/b/y.png");
        s.image("/images/missions/a/y.jpg", Color.GREEN, "jpg"); // its variants are a/y.*.jpg, which b/y.png's would be too
        s.save();

        Logged run = run(s.root());

        assertThat(run.summary().exitCode()).isZero();
        assertThat(run.problems().get("/images/missions/b/x.jpg")).contains("same file as /images/missions/a/x.jpg");
        assertThat(run.problems().get("/images/missions/b/y.png")).contains("same file as the variant of /images/missions/a/y.jpg");
        Manifest m = ManifestFile.read(s.root().resolve("static/data/image-vision.json"));
        assertThat(m.entries()).doesNotContainKey("/images/missions/b/x.jpg");
        for (var e : m.entries().entrySet()) {
            for (String v : e.getValue().variants().values()) {
                String expected = e.getKey().endsWith("x.jpg") ? "red" : e.getKey().endsWith("y.jpg") ? "green" : "blue";
                assertThat(colourOf(s.bytes(v))).as(v + " of " + e.getKey()).isEqualTo(expected);
            }
        }
    }

    @Test
    void aVariantReplacedByHandIsNeitherOverwrittenNorPublishedWithOrWithoutTheCache(@TempDir Path dir) throws Exception {
        Site s = site(dir);
        s.image(DIR + "01.jpg", Color.RED, "jpg");
        s.image(DIR + "02.jpg", Color.RED, "jpg");
        s.save();
        run(s.root());
        s.write(DIR + "01.1x1.jpg", picture(Color.GREEN, "jpg")); // the editor's own square crop
        byte[] editors = s.bytes(DIR + "01.1x1.jpg");
        // a copy of the tool's own file, comment and all, onto another source's variant path
        Files.copy(s.root().resolve("static" + DIR + "02.16x9.jpg"), s.root().resolve("static" + DIR + "01.16x9.jpg"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] copied = s.bytes(DIR + "01.16x9.jpg");

        for (boolean withCache : List.of(true, false)) {
            if (!withCache) deleteTree(s.root().resolve(".image-cache"));
            Logged again = run(s.root());
            assertThat(s.bytes(DIR + "01.1x1.jpg")).as("cache " + withCache).isEqualTo(editors);
            assertThat(s.bytes(DIR + "01.16x9.jpg")).as("cache " + withCache).isEqualTo(copied);
            assertThat(again.problems().get(DIR + "01.jpg")).as("cache " + withCache)
                    .contains(DIR + "01.1x1.jpg", DIR + "01.16x9.jpg", "02.jpg");
            Manifest m = ManifestFile.read(s.root().resolve("static/data/image-vision.json"));
            assertThat(m.entries().get(DIR + "01.jpg").variants()).as("never published as 01's").containsOnlyKeys("4x3");
        }
    }

    @Test
    void anOlderToolsManifestVouchesOnlyForTheVariantItListsUnderThatName(@TempDir Path dir) throws Exception {
        Site s = site(dir);
        s.image(DIR + "01.jpg", Color.RED, "jpg");
        s.write(DIR + "01.1x1.jpg", picture(Color.GREEN, "jpg")); // the older tool's square crop: it lists it
        s.write(DIR + "01.4x3.jpg", picture(Color.BLUE, "jpg"));  // a photo it listed under another ratio's name
        s.save();
        Files.writeString(s.root().resolve("static/data/image-vision.json"), """
                {"version": 1, "generated_at": null, "vision_provider": "anthropic", "vision_model": "m", "prompt_version": "v1",
                 "entries": {"%s": {"score": 7, "subject": "A red thing.", "category": "spacecraft",
                   "focal_point": {"x": 0.5, "y": 0.5}, "variants": {"1x1": "%s", "16x9": "%s"},
                   "rejected_by": null, "fallback": false, "scored_at": "2026-05-24T00:00:00.000Z", "scoring_cost_usd": 0.005}}}
                """.formatted(DIR + "01.jpg", DIR + "01.1x1.jpg", DIR + "01.4x3.jpg"));
        byte[] blue = s.bytes(DIR + "01.4x3.jpg");

        Logged run = run(s.root());

        assertThat(colourOf(s.bytes(DIR + "01.1x1.jpg"))).as("the older tool's own 1x1: replaced").isEqualTo("red");
        assertThat(s.bytes(DIR + "01.4x3.jpg")).as("listed under another name: left alone").isEqualTo(blue);
        assertThat(run.problems().get(DIR + "01.jpg")).contains(DIR + "01.4x3.jpg", "did not write");
    }

    @Test
    void aRowUnderAVariantsNameThatIsNotThatVariantIsNamed(@TempDir Path dir) throws Exception {
        Site s = site(dir);
        s.image(DIR + "a.png", Color.RED, "png");
        s.image(DIR + "a.1x1.jpg", Color.BLUE, "jpg"); // a photo of its own, listed under a.png's variant name
        s.row(DIR + "m.jpg");                           // listed, but the file is gone
        s.image(DIR + "m.1x1.jpg", Color.GREEN, "jpg");
        s.save();

        Logged run = run(s.root());

        assertThat(run.problems().get(DIR + "a.1x1.jpg")).contains("variant's name of " + DIR + "a.png", "not judged");
        assertThat(run.problems().get(DIR + "m.1x1.jpg")).contains("variant's name of " + DIR + "m.jpg", "cannot be used");
        assertThat(run.problems()).containsKey(DIR + "m.jpg");
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var files = Files.walk(p)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) Files.delete(f);
        }
    }
}
