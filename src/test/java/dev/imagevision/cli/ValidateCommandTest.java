package dev.imagevision.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.cache.ScoreCache;
import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.curation.CurationFile;
import dev.imagevision.fixtures.FixtureSite;
import dev.imagevision.fixtures.SiteFixtures;
import dev.imagevision.ledger.CallEntry;
import dev.imagevision.ledger.LedgerFile;
import dev.imagevision.ledger.Tokens;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestBuilder;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.site.Json;
import dev.imagevision.site.Site;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.Usage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ValidateCommandTest {
    static final String ENTRY = "/images/missions/flown-m/02.jpg";

    @TempDir
    Path root;
    Path manifestFile;

    record Run(int code, String out, String err) {}

    Run validate(String... extra) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[extra.length + 3];
        args[0] = "validate";
        args[1] = "--root";
        args[2] = root.toString();
        System.arraycopy(extra, 0, args, 3, extra.length);
        int code = Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The fixture site after a run: manifest rebuilt with the flags applied, every variant file present. */
    @BeforeEach
    void site() throws IOException {
        FixtureSite.copyTo(root);
        Site site = Site.load(root);
        manifestFile = root.resolve("static/data/image-vision.json");
        Manifest previous = ManifestFile.read(manifestFile);
        Manifest m = ManifestBuilder.build(previous, List.of(), ManifestBuilder.Present.all(previous.entries().keySet()),
                CurationFile.read(root.resolve("static/data/image-curation.json")), site.missions(), 5).manifest();
        ManifestFile.write(manifestFile, m);
        for (var e : m.entries().values()) {
            for (String v : e.variants().values()) {
                if (v.isEmpty()) continue;
                Path f = root.resolve("static" + v);
                Files.createDirectories(f.getParent());
                Files.write(f, new byte[] {1});
            }
        }
    }

    @Test
    void aGoodManifestIsValidAndNothingIsWritten() throws IOException {
        Map<String, String> before = SiteFixtures.snapshot(root);
        Run r = validate();
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("error:").contains("29 entries · 0 errors · 0 warnings · valid");
        assertThat(SiteFixtures.snapshot(root)).isEqualTo(before); // provenance and everything else only read
    }

    /** The site made the root of a git repository with this .gitignore (null: none), its files committed. */
    void inGitRepository(String gitignore) throws Exception {
        if (gitignore != null) Files.writeString(root.resolve(".gitignore"), gitignore);
        Files.createDirectories(root.resolve(".image-cache"));
        Files.writeString(root.resolve(".image-cache/stat-index.json"), "{}");
        Files.writeString(root.resolve("static/data/audit-report.html"), "<!doctype html>");
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init().setDirectory(root.toFile()).call()) {
            git.add().addFilepattern(".").call();
        }
    }

    @Test
    void inAGitRepositoryMachineLocalFilesMustBeIgnoredAndSharedOnesMustNot() throws Exception {
        inGitRepository(".image-cache/\nstatic/data/audit-report.html\n");
        Run clean = validate();
        assertThat(clean.err()).as(clean.err()).doesNotContain("git-ignored").contains("0 warnings · valid");

        Files.writeString(root.resolve(".gitignore"), "static/data/image-vision.json\n");
        Run wrong = validate();
        assertThat(wrong.code()).as("git findings are warnings, never fatal").isZero();
        assertThat(wrong.err())
                .contains("warning: .image-cache is not git-ignored").contains("add it to .gitignore")
                .contains("warning: static/data/audit-report.html is not git-ignored")
                .contains("warning: static/data/image-vision.json is git-ignored, but the site needs it")
                .doesNotContain("image-curation.json is git-ignored").doesNotContain("image-provenance.json is git-ignored")
                .contains("3 warnings");
    }

    @Test
    void theSampleSiteShipsTheIgnoreRulesASiteNeeds(@TempDir Path dir) throws Exception {
        Path site = dev.imagevision.testing.SampleSite.copyTo(dir.resolve("site"));
        assertThat(site.resolve(".gitignore")).isRegularFile();
        root = site;
        inGitRepository(null); // the sample's own .gitignore
        Files.writeString(site.resolve("static/data/preview.html"), "<!doctype html>");
        Run r = validate();
        assertThat(r.err()).as(r.err()).doesNotContain("git-ignored");
    }

    @Test
    void thePreviewPageIsMachineLocalLikeTheReport() throws Exception {
        inGitRepository(".image-cache/\nstatic/data/audit-report.html\n");
        Files.writeString(root.resolve("static/data/preview.html"), "<!doctype html>");
        Run r = validate();
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("warning: static/data/preview.html is not git-ignored").contains("1 warning");
        Files.writeString(root.resolve(".gitignore"), ".image-cache/\nstatic/data/audit-report.html\nstatic/data/preview.html\n");
        assertThat(validate().err()).doesNotContain("git-ignored").contains("0 warnings");
    }

    @Test
    void aSiteTheRepositoryIgnoresAsAWholeOrOutsideGitGetsNoGitFindings(@TempDir Path repo) throws Exception {
        assertThat(validate().err()).doesNotContain("git-ignored"); // a temporary folder: no repository around it
        // the demo copies the sample site into a folder the project's repository ignores
        Path site = repo.resolve("imagevision-demo");
        dev.imagevision.testing.SampleSite.copyTree(root, site);
        Files.createDirectories(site.resolve(".image-cache"));
        Files.writeString(repo.resolve(".gitignore"), "imagevision-demo/\n");
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init().setDirectory(repo.toFile()).call()) {
            root = site;
            assertThat(validate().err()).doesNotContain("git-ignored").contains("0 warnings");
        }
    }

    @Test
    void aMissingVariantFileIsAnErrorNamingTheEntry() throws IOException {
        String variant = ManifestFile.read(manifestFile).entries().get(ENTRY).variants().get("1x1");
        Files.delete(root.resolve("static" + variant));
        Files.write(root.resolve("static" + ENTRY), new byte[] {1}); // the source is there: cutting again is the fix
        Run r = validate();
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("error: " + ENTRY + ": variant 1x1 → " + variant + " is missing")
                .contains("run imagevision score to cut it again").contains("INVALID");
    }

    @Test
    void malformedJsonIsAnErrorWithLineAndColumn() throws IOException {
        String text = Files.readString(manifestFile);
        Files.writeString(manifestFile, text.substring(0, text.length() / 2));
        Run r = validate();
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("image-vision.json").contains("invalid JSON at line");
    }

    @Test
    void aSchemaViolationIsAnErrorNamingTheEntry() throws IOException {
        ObjectNode tree = (ObjectNode) Json.LENIENT.readTree(manifestFile.toFile());
        ((ObjectNode) tree.get("entries").get(ENTRY)).put("score", 42);
        Files.write(manifestFile, Json.stableBytes(tree));
        Run r = validate();
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("error: " + ENTRY + ": score: ").contains("10");
    }

    @Test
    void aScoredImageWithoutAnEntryIsOnlyAWarning() throws IOException {
        ObjectNode tree = (ObjectNode) Json.LENIENT.readTree(manifestFile.toFile());
        ((ObjectNode) tree.get("entries")).remove(ENTRY);
        Files.write(manifestFile, Json.stableBytes(tree));
        new ScoreCache(root.resolve(".image-cache")).put(new ScoreRecord("ab" + "0".repeat(62), ENTRY, "local", "m", "p",
                "0".repeat(64), false, null, new Judgement(6, "A spacecraft.", Category.SPACECRAFT, FocalPoint.CENTRE,
                null, true, null), Usage.FREE, "2026-07-01T00:00:00.000Z"));
        Run r = validate();
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: " + ENTRY + ": has a score in the cache but no manifest entry")
                .contains("1 warnings · valid");
    }

    @Test
    void onAFreshCheckoutTheCostLedgerStillTellsWhichImagesWereScored() throws IOException {
        // no .image-cache (a CI checkout): the committed ledger's paid calls are the evidence
        ObjectNode tree = (ObjectNode) Json.LENIENT.readTree(manifestFile.toFile());
        ((ObjectNode) tree.get("entries")).remove(ENTRY);
        Files.write(manifestFile, Json.stableBytes(tree));
        Path ledgerFile = Site.load(root).file(Site.load(root).config().paths().ledger());
        String other = "/images/missions/flown-m/01.jpg";
        ((ObjectNode) tree.get("entries")).remove(other);
        Files.write(manifestFile, Json.stableBytes(tree));
        var answered = CallEntry.priced("2026-07-01T00:00:00.000Z", ENTRY, "anthropic", "claude-sonnet-4-6",
                new Tokens(1500, 120, 0, 0), false, "run-1", "msg_01");
        var neverAnswered = CallEntry.priced("2026-07-01T00:00:01.000Z", other, "anthropic", "claude-sonnet-4-6",
                new Tokens(1500, 120, 0, 0), false, "run-1", "unconfirmed:req_02");
        LedgerFile.write(ledgerFile, LedgerFile.withCalls(LedgerFile.read(ledgerFile), List.of(answered, neverAnswered)));
        assertThat(root.resolve(".image-cache/scores")).doesNotExist();

        Run r = validate();
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: " + ENTRY + ": has a paid call in the cost ledger but no manifest entry; "
                + "run imagevision score to add it").doesNotContain(other + ": has a");
    }

    @Test
    void aMalformedCostLedgerIsAnErrorNamingIt() throws IOException {
        // the site's build does not read the ledger, but the next paid run refuses it: the build check says so first
        Path ledgerFile = Site.load(root).file(Site.load(root).config().paths().ledger());
        Files.createDirectories(ledgerFile.getParent());
        Files.writeString(ledgerFile, "{\"entries\": [ {\"ts\": <<<<<<< HEAD");
        Run r = validate();
        assertThat(r.code()).as(r.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("error: cost ledger: ").contains(ledgerFile.getFileName().toString())
                .contains("is not valid JSON at line 1").contains("INVALID");
    }

    /**
     * The red team's hand edits: a cost as a string, a negative one, an absurd one, a row repeated. Each
     * row that cannot be counted as money is an error naming its index, line and reason; a repeated
     * call is a warning (it is counted once).
     */
    @Test
    void everyLedgerRowThatCannotBeCountedAsMoneyIsAnErrorByIndexAndLine() throws IOException {
        Path ledgerFile = Site.load(root).file(Site.load(root).config().paths().ledger());
        List<CallEntry> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(CallEntry.priced("2026-07-01T00:00:0" + i + ".000Z", "/images/missions/flown-m/0" + (i % 2 + 1) + ".jpg",
                    "anthropic", "claude-sonnet-4-6", new Tokens(1500, 120, 0, 0), false, "run-1", "msg_0" + i));
        }
        ObjectNode ledger = LedgerFile.withCalls(LedgerFile.read(ledgerFile), calls);
        var entries = (com.fasterxml.jackson.databind.node.ArrayNode) ledger.get("entries");
        int first = entries.size() - 5; // after the site's own rows, if it has any
        ((ObjectNode) entries.get(first)).put("cost_usd", "0.0069");
        ((ObjectNode) entries.get(first + 1)).put("cost_usd", new java.math.BigDecimal("-100"));
        ((ObjectNode) entries.get(first + 2)).put("cost_usd", new java.math.BigDecimal("1e308"));
        entries.add(entries.get(first + 3).deepCopy());
        LedgerFile.write(ledgerFile, ledger);
        List<String> lines = Files.readAllLines(ledgerFile);

        Run r = validate("--json");
        assertThat(r.code()).as(r.err()).isEqualTo(Main.BAD_INPUT);
        String[] reasons = {"cost_usd is a string", "cost_usd is negative", "cost_usd 1E+308 is more than"};
        for (int k = 0; k < 3; k++) {
            int line = rowStart(lines, "\"msg_0" + k + "\"");
            assertThat(r.err()).contains("error: cost ledger: entries[" + (first + k) + "] (line " + line + "): " + reasons[k]);
        }
        assertThat(r.err()).contains("warning: cost ledger: entries[" + (first + 5) + "]")
                .contains("repeats entries[" + (first + 3) + "]").contains("counted once");
        JsonNode json = Json.LENIENT.readTree(r.out());
        assertThat(json.get("exit_code").asInt()).isEqualTo(Main.BAD_INPUT);
        assertThat(json.get("findings").findValuesAsText("message")).anyMatch(m -> m.contains("entries[" + first + "]"));
    }

    /** The line (from 1) of the "{" that opens the row holding {@code text}. */
    static int rowStart(List<String> lines, String text) {
        int i = 0;
        while (!lines.get(i).contains(text)) i++;
        while (!lines.get(i).trim().equals("{")) i--;
        return i + 1;
    }

    @Test
    void noManifestYetIsAWarning() throws IOException {
        Files.delete(manifestFile);
        Run r = validate();
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("warning: there is no manifest at static/data/image-vision.json yet");
    }

    @Test
    void aFlagTheManifestDoesNotShowYetAndAnEntryOutsideProvenanceAreWarnings() throws IOException {
        Files.writeString(root.resolve("static/data/image-curation.json"), """
                {"version": "1.0", "entries": [
                  {"path": "/images/missions/flown-m/03.jpg", "reason": "blurry", "flaggedAt": "2026-07-05T00:00:00.000Z"}]}
                """);
        ObjectNode tree = (ObjectNode) Json.LENIENT.readTree(manifestFile.toFile());
        JsonNode copy = tree.get("entries").get("/images/missions/flown-m/03.jpg").deepCopy();
        ((ObjectNode) copy).putNull("variants");
        ((ObjectNode) tree.get("entries")).set("/images/missions/gone/01.jpg", copy);
        Files.write(manifestFile, Json.stableBytes(tree));
        Run r = validate();
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: /images/missions/flown-m/03.jpg: is flagged but the manifest still serves it")
                .contains("warning: /images/missions/gone/01.jpg: is not a source image in provenance any more");
    }

    @Test
    void aBrokenCurationFileIsAWarningTheSitesBuildDoesNotReadIt() throws IOException {
        Files.writeString(root.resolve("static/data/image-curation.json"), "{\"version\": \"1.0\", \"entries\": [");
        Run r = validate();
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: curation file: ").contains("image-curation.json").contains("invalid JSON");
    }

    @Test
    void jsonOutputCarriesTheFindingsAndTheExitCode() throws IOException {
        String variant = ManifestFile.read(manifestFile).entries().get(ENTRY).variants().get("1x1");
        Files.delete(root.resolve("static" + variant));
        Run r = validate("--json");
        JsonNode out = Json.LENIENT.readTree(r.out());
        assertThat(out.get("exit_code").asInt()).isEqualTo(2);
        assertThat(out.get("entries").asInt()).isEqualTo(29);
        assertThat(out.get("findings")).singleElement().satisfies(f -> {
            assertThat(f.get("severity").asText()).isEqualTo("ERROR");
            assertThat(f.get("entry").asText()).isEqualTo(ENTRY);
        });
    }
}
