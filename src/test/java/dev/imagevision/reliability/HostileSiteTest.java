package dev.imagevision.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.cache.Hashing;
import dev.imagevision.cli.Main;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.testing.Cli;
import dev.imagevision.testing.SampleSite;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad input at once, through the real command in its own JVM with the local provider.
 *
 * <p>The site-level policy this proves (README, "Bad input"):
 * <ul>
 *   <li><b>Per entry, the run goes on (exit 0):</b> any image file that is not a usable JPEG, PNG or
 *   WebP (empty, truncated, a decompression bomb, text or HTML or SVG under an image name, a folder,
 *   a missing file), any provenance row that is unsafe (traversal, encoded traversal, absolute,
 *   scheme, backslash, NUL, a symlink leaving the site) or repeated or has no path. Each is named
 *   with its reason on stderr and in the {@code --json} summary's {@code problems}.</li>
 *   <li><b>Recovered, the run goes on:</b> a malformed manifest. It is machine-written and every
 *   score behind it is cached, so it is kept aside as {@code .malformed} and rebuilt: nothing lost.</li>
 *   <li><b>The run stops with exit 2 and changes nothing:</b> a config with wrong types, a malformed
 *   provenance or missions index, and a malformed curation file. The curation file is the editor's
 *   deny-list and overrides and exists nowhere else; running without it would publish images a
 *   person rejected and forget their crops, silently. Refusing costs one fix; ignoring it cannot be
 *   undone by the next run. The message names the file, line and column.</li>
 * </ul>
 */
@Tag("reliability")
class HostileSiteTest {

    record Run(int code, String out, String err) {
        JsonNode summary() throws IOException {
            return HostileSite.JSON.readTree(out);
        }
    }

    static Run score(Path root, Path logs, String name, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("score", "--root", ".", "--provider", "local"));
        args.addAll(List.of(extra));
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        Process p = Cli.command(root, Map.of(), args.toArray(String[]::new))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int code = p.waitFor();
        return new Run(code, Files.readString(out), Files.readString(err));
    }

    /**
     * One site, two phases (one finished run serves both, which keeps the group quick): everything
     * per-entry-bad at once completes; then each run-stopping input alone stops it and changes nothing.
     */
    @Test
    void badEntriesAreNamedGoodOnesProcessedNothingOutsideTouched_andRunStoppingInputsChangeNothing(@TempDir Path dir)
            throws Exception {
        HostileSite site = HostileSite.create(dir);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        everyBadEntryIsNamedEveryGoodOneProcessedAndNothingOutsideIsTouched(site, dir, logs);
        inputsThatWouldLoseSomethingStopTheRunWithExitTwoAndChangeNothing(site, logs);
    }

    private void everyBadEntryIsNamedEveryGoodOneProcessedAndNothingOutsideIsTouched(HostileSite site, Path dir, Path logs)
            throws Exception {
        Map<String, byte[]> outsideBefore = site.outsideSnapshot();
        String secretSha = Hashing.bytes(Files.readAllBytes(site.secret));
        byte[] manifestBefore = Files.readAllBytes(site.root.resolve("static/data/image-vision.json"));
        byte[] ledgerBefore = Files.readAllBytes(site.root.resolve("static/data/image-vision-cost-ledger.json"));

        Run run = score(site.root, logs, "hostile", "--all", "--json");

        assertThat(run.code()).as(run.err()).isEqualTo(Main.OK);
        JsonNode summary = run.summary();
        assertThat(summary.get("exit_code").asInt()).isZero();
        Map<String, String> problems = new TreeMap<>();
        for (JsonNode p : summary.get("problems")) {
            problems.merge(p.get("path").asText(), p.get("message").asText(), (a, b) -> a + " | " + b);
        }

        // every bad entry is named, with a reason, in the summary and on stderr
        for (Map.Entry<String, String> bad : site.bad.entrySet()) {
            assertThat(problems).as("%s (%s) in the --json problems", bad.getKey(), bad.getValue()).containsKey(bad.getKey());
            assertThat(problems.get(bad.getKey())).as(bad.getValue()).isNotBlank();
            String shown = bad.getKey().replace('\u0000', '?'); // the terminal never gets control characters
            assertThat(run.err()).as("stderr names " + bad.getValue()).contains("failed  " + shown + " [");
        }
        assertThat(problems.get(HostileSite.BAD + "zero.jpg")).contains("empty file");
        assertThat(problems.get(HostileSite.BAD + "truncated.jpg")).contains("truncated JPEG");
        assertThat(problems.get(HostileSite.BAD + "bomb.png")).contains("100000x100000", "nothing was decoded");
        assertThat(problems.get(HostileSite.BAD + "bomb.jpg")).contains("65000x65000", "nothing was decoded");
        assertThat(problems.get(HostileSite.BAD + "bomb.webp")).contains("16384x16384", "nothing was decoded");
        assertThat(problems.get(HostileSite.BAD + "page.jpg")).contains("looks like HTML/XML text");
        assertThat(problems.get(HostileSite.BAD + "vector.jpg")).contains("looks like HTML/XML text");
        assertThat(problems.get(HostileSite.BAD + "notes.jpg")).contains("looks like text");
        assertThat(problems.get(HostileSite.BAD + "link.jpg")).contains("outside the site");
        assertThat(problems.get("/images/hostile-cases/linked/01.jpg")).contains("outside the site");
        assertThat(problems.get("/images/%2e%2e/%2e%2e/%2e%2e/outside/secret.jpg")).contains("URL-encoded");
        assertThat(problems.get("/images/../../outside/secret.jpg")).contains("'..'");
        assertThat(problems.get(HostileSite.SAMPLE.get(0))).contains("duplicate");
        assertThat(problems.keySet()).as("only the planted entries fail, plus the recovered manifest")
                .containsExactlyInAnyOrderElementsOf(plus(site.bad.keySet(), "static/data/image-vision.json"));
        assertThat(summary.get("failed").asInt()).isEqualTo(problems.size());

        // every good entry is processed: a score and three variants on disk
        Manifest manifest = ManifestFile.read(site.root.resolve("static/data/image-vision.json"));
        for (String good : site.good) {
            ManifestEntry e = manifest.entries().get(good);
            assertThat(e).as(good).isNotNull();
            assertThat(e.score()).as(good + " score").isNotNull();
            assertThat(e.variants()).as(good + " variants").hasSize(3);
            for (String v : e.variants().values()) {
                assertThat(site.root.resolve("static" + v)).as(v).isRegularFile();
                assertThat(Files.size(site.root.resolve("static" + v))).isPositive();
            }
        }
        assertThat(manifest.entries().get(HostileSite.FLAGGED).rejectedBy()).as("the editor's flag holds").isEqualTo("human");
        // bad entries and non-sources have no score and no variant anywhere
        for (String bad : site.bad.keySet()) {
            if (site.good.contains(bad)) continue; // the duplicated row's first copy is good
            ManifestEntry e = manifest.entries().get(bad);
            if (e != null) {
                assertThat(e.score()).as(bad).isNull();
                assertThat(e.variants() == null || e.variants().isEmpty()).as(bad + " variants").isTrue();
            }
        }
        for (String svg : site.notSources) assertThat(manifest.entries()).doesNotContainKey(svg);
        try (var files = Files.walk(site.root.resolve("static/images/hostile-cases/bad"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.matches(".*\\.\\d+x\\d+\\.jpg")).toList())
                    .as("no variant was cut from a bad file").isEmpty();
        }

        // the malformed manifest is kept byte for byte; the ledger a free run never needs is untouched
        assertThat(site.root.resolve("static/data/image-vision.json.malformed")).hasBinaryContent(manifestBefore);
        assertThat(site.root.resolve("static/data/image-vision-cost-ledger.json")).hasBinaryContent(ledgerBefore);
        assertThat(site.root.resolve("static/data/audit-report.html")).isRegularFile();

        // nothing outside the root was written, and the file outside was never read: had it been,
        // its content hash would be in the stat index, the score cache or a thumbnail key
        Map<String, byte[]> outsideAfter = site.outsideSnapshot();
        assertThat(outsideAfter.keySet()).isEqualTo(outsideBefore.keySet());
        outsideBefore.forEach((k, v) -> assertThat(outsideAfter.get(k)).as(k).isEqualTo(v));
        try (var top = Files.list(dir)) {
            assertThat(top.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("logs", "outside", "site");
        }
        for (var f : SampleSite.snapshot(site.root, true).entrySet()) {
            assertThat(new String(f.getValue(), StandardCharsets.ISO_8859_1)).as(f.getKey()).doesNotContain(secretSha);
            assertThat(f.getKey()).as("a file name").doesNotContain(secretSha);
        }
    }

    /** A run-stopping input: exit 2, the message names file, line and column, and not one byte changes. */
    record Stopper(String name, String file, String content, String expected) {}

    private void inputsThatWouldLoseSomethingStopTheRunWithExitTwoAndChangeNothing(HostileSite site, Path logs)
            throws Exception {
        String curation = "static/data/image-curation.json";
        List<Stopper> stoppers = List.of(
                new Stopper("config-string-for-int", "imagevision.json",
                        "{\n  \"provider\": \"local\",\n  \"concurrency\": \"two\"\n}\n", "line 3, column 18"),
                new Stopper("config-object-for-paths", "imagevision.json",
                        "{\n  \"provider\": \"local\",\n  \"paths\": \"static\"\n}\n", "line 3, column 12"),
                new Stopper("curation-truncated", curation,
                        "{\n  \"version\": \"1.0\",\n  \"entries\": [\n    {\"path\": \"" + HostileSite.SAMPLE.get(1)
                                + "\", \"reason\": \"wrong rover\"\n", "line 5, column 1"),
                new Stopper("curation-wrong-type", curation,
                        "{\n  \"version\": \"1.0\",\n  \"entries\": {\"path\": 3}\n}\n", "line 3, column 14"),
                new Stopper("missions-wrong-type", "static/data/missions/index.json",
                        "[\n  {\"id\": \"crew-4\", \"status\": 7, \"agency\": [\"NASA\"]}\n]\n", "line 2, column"));
        for (Stopper s : stoppers) {
            Path file = site.root.resolve(s.file());
            byte[] original = Files.readAllBytes(file);
            Files.writeString(file, s.content());
            Map<String, byte[]> before = SampleSite.snapshot(site.root, true);
            Map<String, Long> mtimes = SampleSite.mtimes(site.root);

            Run run = score(site.root, logs, s.name(), "--all", "--json");

            assertThat(run.code()).as(s.name() + ": " + run.err()).isEqualTo(Main.BAD_INPUT);
            // stdout holds the one JSON object a script reads: the error, never a run summary
            JsonNode ending = HostileSite.JSON.readTree(run.out());
            assertThat(ending.get("exit_code").asInt()).as(s.name()).isEqualTo(Main.BAD_INPUT);
            assertThat(ending.get("error").asText()).as(s.name()).contains(Path.of(s.file()).getFileName().toString());
            assertThat(ending.has("selected")).as(s.name() + ": no summary when nothing ran").isFalse();
            assertThat(run.err()).as(s.name()).contains(Path.of(s.file()).getFileName().toString()).contains(s.expected());
            Map<String, byte[]> after = SampleSite.snapshot(site.root, true);
            assertThat(after.keySet()).as(s.name() + ": files").isEqualTo(before.keySet());
            assertThat(before.keySet().stream().filter(k -> !java.util.Arrays.equals(before.get(k), after.get(k))).toList())
                    .as(s.name() + ": changed bytes").isEmpty();
            assertThat(changed(mtimes, SampleSite.mtimes(site.root))).as(s.name() + ": rewritten").isEmpty();
            Files.write(file, original);
        }
        // and with every file fixed, the run is whole again, the flag still holds, and nothing is rewritten
        Map<String, Long> settled = SampleSite.mtimes(site.root);
        Run again = score(site.root, logs, "fixed", "--json");
        assertThat(again.code()).as(again.err()).isZero();
        // nothing is redone: images whose bytes failed are reported again from the cache, never re-sent
        assertThat(again.summary().get("scored").asInt()).isZero();
        assertThat(again.summary().get("cropped").asInt()).isZero();
        assertThat(again.summary().get("provider_calls").asInt()).isZero();
        List<String> stillReported = new ArrayList<>();
        again.summary().get("problems").forEach(p -> stillReported.add(p.get("path").asText() + ": " + p.get("message").asText()));
        assertThat(stillReported).anyMatch(p -> p.startsWith(HostileSite.BAD + "zero.jpg: ") && p.contains("empty file"))
                .anyMatch(p -> p.startsWith(HostileSite.BAD + "bomb.png: ") && p.contains("100000x100000"));
        ManifestEntry flagged = ManifestFile.read(site.root.resolve("static/data/image-vision.json")).entries()
                .get(HostileSite.SAMPLE.get(1));
        assertThat(flagged.rejectedBy()).isEqualTo("human");
        assertThat(changed(settled, SampleSite.mtimes(site.root))).isEmpty();
    }

    /** Files added, removed or modified between two mtime snapshots. */
    private static List<String> changed(Map<String, Long> before, Map<String, Long> after) {
        java.util.Set<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        return keys.stream().filter(k -> !java.util.Objects.equals(before.get(k), after.get(k))).toList();
    }

    private static List<String> plus(java.util.Collection<String> a, String b) {
        List<String> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }
}
