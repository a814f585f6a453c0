package dev.imagevision.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.inventory.Image;
import dev.imagevision.judgements.Decision;
import dev.imagevision.judgements.ProviderChoice;
import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.site.ImagePath;
import dev.imagevision.site.ProvenanceEntry;
import dev.imagevision.site.Site;
import dev.imagevision.site.SourceImage;
import dev.imagevision.testing.CountingProvider;
import dev.imagevision.testing.Runs;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.ProviderException;
import dev.imagevision.vision.Scored;
import dev.imagevision.vision.Usage;
import dev.imagevision.vision.VisionProvider;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One decision per image decides who is called: the dry run counts exactly the images the real run
 * then sends, whatever mix of new, cached, remembered-bad, flagged, changed and missing images a
 * site holds and whichever flags are given.
 */
class DecisionPropertiesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** What an image is like when the run under test starts. */
    enum State { NEW, CACHED, REMEMBERED_FAULT, FLAGGED, CHANGED, MISSING, NEW_FAULT }

    /** Judges every image alike, except files whose name says "fault", which it cannot read. */
    static final VisionProvider FIXED = new VisionProvider() {
        public String id() { return "local"; } // free: the run counts every image it judges as a call
        public String model() { return "fixed-1"; }
        public String promptVersion() { return "1"; }
        public Scored judge(Path image, ImageContext context) throws ProviderException {
            if (image.getFileName().toString().contains("fault")) {
                throw ProviderException.imageFault("cannot read this image", null);
            }
            return new Scored(new Judgement(6, "A test picture.", Category.SURFACE, FocalPoint.CENTRE, null, true, null),
                    Usage.FREE);
        }
    };

    @Provide
    Arbitrary<List<State>> states() {
        return Arbitraries.of(State.class).list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 30)
    void theDryRunCountsExactlyTheCallsTheRunMakes(@ForAll("states") List<State> states, @ForAll boolean all,
                                                   @ForAll boolean force, @ForAll boolean skipScoring) throws Exception {
        Path root = Files.createTempDirectory("decisions");
        try {
            build(root, states);
            ScopeRequest scope = all ? new ScopeRequest(null, null, null, null, null, null, true, false) : ScopeRequest.defaults();
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            CountingProvider counting = new CountingProvider(FIXED);
            RunSummary dry = Pipeline.run(Site.load(root), options(scope, force, skipScoring, true, counting, quiet));
            assertThat(counting.calls()).as("a dry run calls nothing").isZero();

            RunSummary real = Pipeline.run(Site.load(root), options(scope, force, skipScoring, false, counting, quiet));
            assertThat(real.providerCalls()).isEqualTo(counting.calls());

            assertThat(dry.wouldScore()).as(states + " all=" + all + " force=" + force + " skip=" + skipScoring)
                    .isEqualTo(counting.calls());
            assertThat(dry.selected()).isEqualTo(real.selected());
        } finally {
            delete(root);
        }
    }

    @Property
    void anImageIsCalledOnlyWhenItIsUsableUnflaggedAndNeitherServedAdoptedNorRememberedBad(
            @ForAll boolean error, @ForAll boolean flagged, @ForAll("records") ScoreRecord cached,
            @ForAll boolean previousTool, @ForAll boolean force, @ForAll boolean skipScoring, @ForAll boolean reJudge) {
        SourceImage s = new SourceImage(ImagePath.of("/images/missions/x/01.jpg"),
                new ProvenanceEntry("1", "/images/missions/x/01.jpg", null, null, null, null, null, null, null));
        var row = flagged ? new dev.imagevision.curation.CurationEntry("/images/missions/x/01.jpg", "no", "2026-01-01T00:00:00Z", null, null, null)
                : null;
        // an entry the site's previous tool wrote: no score key, a usable judgement
        var entry = previousTool ? new dev.imagevision.manifest.ManifestEntry(6, "A rover on Mars.", "surface",
                new FocalPoint(0.4, 0.6), null, null, null, null, null, null, false, null, null, null,
                "2026-05-24T00:00:00.000Z", 0.005) : null;
        Image image = new Image(s, Path.of("x"), "sha", "key", cached, row, entry, List.of(), 0, 0,
                error ? "broken" : null, false);

        Decision d = Decision.of(image, force, skipScoring, reJudge);

        boolean served = cached != null && cached.usable();
        boolean rememberedBad = cached != null && cached.imageFault();
        boolean kept = (served && !force) || (previousTool && !reJudge) || (rememberedBad && !force);
        assertThat(d == Decision.CALL).isEqualTo(!error && !flagged && !skipScoring && !kept);
        if (d == Decision.ADOPTED) assertThat(previousTool && !reJudge).isTrue();
        // the previous tool's judgement stands whatever the cache holds for the same bytes
        if (!error && !flagged && previousTool && !reJudge) assertThat(d).isEqualTo(Decision.ADOPTED);
        if (d != Decision.CALL) {
            assertThat(dev.imagevision.judgements.Judgements.without(image, d).image()).isSameAs(image);
        }
    }

    @Provide
    Arbitrary<ScoreRecord> records() {
        Judgement j = new Judgement(5, "x", Category.OTHER, FocalPoint.CENTRE, null, true, null);
        return Arbitraries.of(
                new ScoreRecord("key", "/p", "fixed", "m", "1", "sha", false, null, j, Usage.FREE, "t"),
                new ScoreRecord("key", "/p", "fixed", "m", "1", "sha", true, "timeout", null, null, "t", false),
                new ScoreRecord("key", "/p", "fixed", "m", "1", "sha", true, "truncated", null, null, "t", true))
                .injectNull(0.25);
    }

    static RunOptions options(ScopeRequest scope, boolean force, boolean skipScoring, boolean dryRun, VisionProvider p,
                              PrintStream log) {
        return new RunOptions(scope, force, skipScoring, false, dryRun, ProviderChoice.of(p), Runs.CLOCK, Progress.NONE,
                log, false, false, Runs.CODEC);
    }

    /** A site whose images are, after a first run, in the given states. */
    static void build(Path root, List<State> states) throws Exception {
        ArrayNode rows = JSON.createArrayNode();
        List<String> flagged = new ArrayList<>();
        for (int i = 0; i < states.size(); i++) {
            State st = states.get(i);
            String name = (st == State.REMEMBERED_FAULT || st == State.NEW_FAULT ? "fault-" : "img-") + i + ".jpg";
            String path = "/images/missions/m/" + name;
            if (st != State.NEW && st != State.NEW_FAULT) {
                write(root, path, i);
                rows.addObject().put("id", "r" + i).put("path", path).put("agency", "NASA");
            }
        }
        save(root, rows, List.of());
        Runs.score(root, FIXED); // the first run: everything present is now cached or remembered
        for (int i = 0; i < states.size(); i++) {
            State st = states.get(i);
            String path = "/images/missions/m/" + (st == State.REMEMBERED_FAULT || st == State.NEW_FAULT ? "fault-" : "img-") + i + ".jpg";
            switch (st) {
                case NEW, NEW_FAULT -> {
                    write(root, path, i);
                    rows.addObject().put("id", "r" + i).put("path", path).put("agency", "NASA");
                }
                case FLAGGED -> flagged.add(path);
                case CHANGED -> write(root, path, i + 100);
                case MISSING -> Files.delete(root.resolve("static" + path));
                default -> { }
            }
        }
        save(root, rows, flagged);
    }

    static void write(Path root, String path, int seed) throws IOException {
        BufferedImage img = new BufferedImage(48, 36, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 36; y++) for (int x = 0; x < 48; x++) img.setRGB(x, y, (seed * 40503 + x * 97 + y * 31) & 0xFFFFFF);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        Path f = root.resolve("static" + path);
        Files.createDirectories(f.getParent());
        Files.write(f, out.toByteArray());
    }

    static void save(Path root, ArrayNode rows, List<String> flagged) throws IOException {
        ObjectNode prov = JSON.createObjectNode();
        prov.set("entries", rows);
        Files.createDirectories(root.resolve("static/data"));
        Files.write(root.resolve("static/data/image-provenance.json"), JSON.writeValueAsBytes(prov));
        ObjectNode cur = JSON.createObjectNode();
        cur.put("version", "1.0");
        ArrayNode entries = cur.putArray("entries");
        for (String f : flagged) entries.addObject().put("path", f).put("reason", "not this one").put("flaggedAt", "2026-10-01T00:00:00.000Z");
        Files.write(root.resolve("static/data/image-curation.json"), JSON.writeValueAsBytes(cur));
    }

    static void delete(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
