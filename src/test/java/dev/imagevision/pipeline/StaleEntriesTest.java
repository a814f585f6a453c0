package dev.imagevision.pipeline;

import dev.imagevision.judgements.ProviderChoice;

import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestCheck;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.manifest.ManifestSchema;
import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.site.Site;
import dev.imagevision.testing.CountingProvider;
import dev.imagevision.testing.Runs;
import dev.imagevision.testing.SampleSite;
import dev.imagevision.vision.local.LocalProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guide's failure table: "Source image deleted but manifest still references it → re-run
 * scoring". Any score run drops the entries of images that left the site and re-selects their
 * groups; variant files stay on disk.
 */
class StaleEntriesTest {
    static LocalProvider local;
    static final String MANIFEST = "static/data/image-vision.json";
    static final String PROVENANCE = "static/data/image-provenance.json";
    static final ScopeRequest CRS21 = new ScopeRequest("crs-21", null, null, null, null, null, false, false);

    @BeforeAll
    static void provider() {
        local = new LocalProvider(dev.imagevision.testing.Runs.CODEC, 268_402_689L);
    }

    static Manifest manifest(Path site) {
        return ManifestFile.read(site.resolve(MANIFEST));
    }

    static String hero(Manifest m, String group) {
        return m.entries().entrySet().stream()
                .filter(e -> e.getValue().selection().group().equals(group) && e.getValue().selection().role().equals("hero"))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    record Logged(RunSummary summary, String log) {}

    static Logged run(Path site, CountingProvider p, ScopeRequest scope) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunSummary s = Runs.score(site, p, scope, false, false, false, new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Logged(s, out.toString(StandardCharsets.UTF_8));
    }

    static void removeProvenanceRow(Path site, String path) throws Exception {
        Path prov = site.resolve(PROVENANCE);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(prov.toFile());
        var rows = (com.fasterxml.jackson.databind.node.ArrayNode) tree.get("entries");
        int n = rows.size();
        for (int i = rows.size() - 1; i >= 0; i--) if (rows.get(i).path("path").asText().equals(path)) rows.remove(i);
        assertThat(rows.size()).isEqualTo(n - 1);
        json.writerWithDefaultPrettyPrinter().writeValue(prov.toFile(), tree);
    }

    @Test
    void aDeletedSourceFileDropsItsEntryAndTheGroupGetsANewHero(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Runs.score(site, local);
        Manifest before = manifest(site);
        String hero = hero(before, "missions/hubble");
        assertThat(hero).isNotNull();
        ManifestEntry old = before.entries().get(hero);
        Files.delete(site.resolve("static" + hero));

        CountingProvider p = new CountingProvider(local);
        Logged r = run(site, p, ScopeRequest.defaults());
        Manifest after = manifest(site);
        assertThat(after.entries()).hasSize(28).doesNotContainKey(hero);
        String next = hero(after, "missions/hubble");
        assertThat(next).isNotNull().isNotEqualTo(hero);
        assertThat(p.calls()).isZero();
        assertThat(r.summary().dropped()).isEqualTo(1);
        assertThat(r.log()).contains("dropped " + hero + " from the manifest: its source file static" + hero + " is gone");
        // the variants are left where they were: deleting files is the editor's call
        old.variants().values().forEach(v -> assertThat(site.resolve("static" + v)).isRegularFile());
        // what validate reads is now clean
        ManifestCheck.Report check = ManifestCheck.run(Site.load(site), ManifestSchema.load());
        assertThat(check.errors()).isEmpty();

        // the next run has nothing left to drop and rewrites nothing
        Map<String, Long> mtimes = SampleSite.mtimes(site);
        Logged again = run(site, new CountingProvider(local), ScopeRequest.defaults());
        assertThat(again.summary().dropped()).isZero();
        assertThat(again.log()).doesNotContain("dropped");
        assertThat(SampleSite.mtimes(site)).isEqualTo(mtimes);
    }

    @Test
    void aScopedRunDropsImagesThatLeftProvenanceAndKeepsEveryOtherEntryOutsideItsScope(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Runs.score(site, local);
        Manifest before = manifest(site);
        String gone = "/images/missions/voyager2/02.jpg";
        String fileGone = "/images/missions/hubble/04.jpg";
        removeProvenanceRow(site, gone);
        Files.delete(site.resolve("static" + gone));
        Files.delete(site.resolve("static" + fileGone)); // its provenance row stays

        CountingProvider p = new CountingProvider(local);
        Logged r = run(site, p, CRS21); // neither image is in the scope
        assertThat(p.calls()).isZero(); // crs-21 is cached
        Manifest after = manifest(site);
        assertThat(after.entries()).hasSize(27).doesNotContainKeys(gone, fileGone);
        assertThat(r.summary().dropped()).isEqualTo(2);
        assertThat(r.log()).contains("dropped " + gone + " from the manifest: provenance no longer lists it as a source image")
                .contains("dropped " + fileGone + " from the manifest: its source file");
        before.entries().forEach((path, e) -> {
            if (path.contains("/voyager2/") || path.contains("/hubble/")) return; // their groups are re-selected
            assertThat(after.entries().get(path)).as(path).isEqualTo(e);
        });
        assertThat(hero(after, "missions/voyager2")).isEqualTo("/images/missions/voyager2/01.jpg");
    }

    @Test
    void aDryRunNamesTheEntriesTheRunWouldDropAndChangesNothing(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Runs.score(site, local);
        String gone = "/images/missions/voyager2/02.jpg";
        removeProvenanceRow(site, gone);
        Map<String, byte[]> files = SampleSite.snapshot(site, true);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CountingProvider p = new CountingProvider(local);
        RunSummary dry = Pipeline.run(Site.load(site), new RunOptions(ScopeRequest.defaults(), false, false, false, true,
                ProviderChoice.of(p), Runs.CLOCK, Progress.NONE,
                new PrintStream(out, true, StandardCharsets.UTF_8), true, false, dev.imagevision.testing.Runs.CODEC));
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.dropped()).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("would drop " + gone + " from the manifest: provenance no longer lists it as a source image");
        assertThat(p.calls()).isZero();
        assertThat(SampleSite.snapshot(site, true)).as("a dry run writes nothing")
                .containsOnlyKeys(files.keySet())
                .allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(files.get(k)));

        Logged real = run(site, new CountingProvider(local), ScopeRequest.defaults());
        assertThat(real.summary().dropped()).isEqualTo(1);
        assertThat(real.log()).contains("dropped " + gone + " from the manifest");
    }

    @Test
    void withNoSourceFileFoundAtAllNothingIsDroppedForAMissingFile(@TempDir Path dir) throws Exception {
        Path site = SampleSite.copyTo(dir.resolve("site"));
        Runs.score(site, local);
        byte[] before = Files.readAllBytes(site.resolve(MANIFEST));
        // a checkout without its images (or a static_dir pointing elsewhere) is not a site whose images were all deleted
        Path images = site.resolve("static/images");
        Files.move(images, site.resolve("images-elsewhere"));
        Logged r = run(site, new CountingProvider(local), ScopeRequest.defaults());
        assertThat(r.summary().dropped()).isZero();
        assertThat(r.log()).contains("not one of the 29 source files exists");
        assertThat(Files.readAllBytes(site.resolve(MANIFEST))).isEqualTo(before);
    }
}
