package dev.imagevision.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.crop.VariantMark;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.manifest.ManifestSchemaAssert;
import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.site.Json;
import dev.imagevision.testing.CountingProvider;
import dev.imagevision.testing.Runs;
import dev.imagevision.testing.SampleSite;
import dev.imagevision.vision.local.LocalProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A live site's first day: its manifest was written by the site's previous tool (the real format: no
 * score_key, variants holding only 1x1, sometimes ""). Its judgements are adopted at no cost, marked,
 * and their missing variants cut from their focal points; only images without an entry are scored.
 */
class AdoptionTest {
    static LocalProvider local;
    static final String MANIFEST = "static/data/image-vision.json";
    static final ScopeRequest ALL = new ScopeRequest(null, null, null, null, null, null, true, false);
    static final ScopeRequest HUBBLE = new ScopeRequest("hubble", null, null, null, null, null, false, false);

    @BeforeAll
    static void provider() {
        local = new LocalProvider(dev.imagevision.testing.Runs.CODEC, 268_402_689L);
    }

    /** The previous tool's judgements as they were written: one per image of every group but crs-21. */
    record OldSite(Path root, Map<String, JsonNode> entries) {}

    static OldSite oldSite(Path dir) throws IOException {
        Path root = SampleSite.copyTo(dir.resolve("site"));
        JsonNode prov = Json.LENIENT.readTree(root.resolve("static/data/image-provenance.json").toFile());
        ObjectNode manifest = Json.LENIENT.createObjectNode();
        manifest.put("version", 1).put("generated_at", "2026-07-06T07:04:20.112Z").put("vision_provider", "anthropic")
                .put("vision_model", "claude-sonnet-4-6").put("prompt_version", "v1.3.0");
        ObjectNode entries = manifest.putObject("entries");
        Map<String, JsonNode> kept = new TreeMap<>();
        int i = 0;
        for (JsonNode row : prov.get("entries")) {
            String path = row.get("path").asText();
            if (path.contains("/crs-21/")) continue; // these are new to the old tool: scored
            ObjectNode e = entries.putObject(path);
            e.put("score", 3 + i % 7).put("subject", "The previous tool's words about " + path + ".")
                    .put("category", List.of("spacecraft", "surface", "people", "orbital", "render").get(i % 5));
            e.putObject("focal_point").put("x", 0.25 + (i % 3) * 0.25).put("y", 0.5);
            ObjectNode variants = e.putObject("variants");
            if (i % 3 == 0) {
                variants.put("1x1", ""); // the old tool made none here
            } else {
                String oneByOne = path.replaceFirst("\\.[a-zA-Z]+$", "") + ".1x1.jpg";
                variants.put("1x1", oneByOne);
                // the old tool's own 1:1 file (any JPEG will do): ours to replace
                Files.copy(root.resolve("static/images/missions/crs-21/01.jpg"),
                        root.resolve("static" + oneByOne));
            }
            e.put("rejected_by", i % 4 == 1 ? "off-subject" : null).put("fallback", false)
                    .put("scored_at", String.format("2026-05-24T00:%02d:00.000Z", i)).put("scoring_cost_usd", 0.0056);
            if (i % 2 == 0) e.put("subject_match", i % 4 != 1);
            kept.put(path, e.deepCopy());
            i++;
        }
        Files.write(root.resolve(MANIFEST), Json.stableBytes(manifest));
        return new OldSite(root, kept);
    }

    @Test
    void theFirstRunAdoptsEveryJudgementAtNoCostAndScoresOnlyTheNewImages(@TempDir Path dir) throws Exception {
        OldSite old = oldSite(dir);
        CountingProvider dryCalls = new CountingProvider(local);
        RunSummary dry = Runs.score(old.root(), dryCalls, ScopeRequest.defaults(), false, false, false, true);
        assertThat(dry.adopted()).isEqualTo(old.entries().size());
        assertThat(dry.wouldScore()).isEqualTo(6);

        CountingProvider p = new CountingProvider(local);
        RunSummary s = Runs.score(old.root(), p);

        assertThat(p.calls()).as("only the images the old manifest lacks").isEqualTo(6);
        assertThat(p.contexts()).allSatisfy(c -> assertThat(c.path()).contains("/crs-21/"));
        assertThat(s.adopted()).isEqualTo(old.entries().size());
        assertThat(s.failed()).isZero();
        byte[] written = Files.readAllBytes(old.root().resolve(MANIFEST));
        ManifestSchemaAssert.assertValid(written);
        Manifest m = ManifestFile.read(old.root().resolve(MANIFEST));
        JsonNode tree = Json.LENIENT.readTree(written).get("entries");
        for (var e : old.entries().entrySet()) {
            JsonNode now = tree.get(e.getKey());
            for (String field : List.of("score", "subject", "category", "focal_point", "scored_at", "scoring_cost_usd")) {
                assertThat(now.get(field)).as(e.getKey() + " " + field).isEqualTo(e.getValue().get(field));
            }
            JsonNode match = e.getValue().path("subject_match");
            if (match.isMissingNode()) assertThat(now.path("subject_match").isNull() || now.path("subject_match").isMissingNode()).isTrue();
            else assertThat(now.get("subject_match")).as(e.getKey() + " subject_match").isEqualTo(match);
            if (!e.getValue().get("rejected_by").isNull()) {
                assertThat(now.get("rejected_by")).as("the previous tool's rejection stands").isEqualTo(e.getValue().get("rejected_by"));
            }
            ManifestEntry entry = m.entries().get(e.getKey());
            assertThat(entry.scoreKey()).isNull();
            assertThat(entry.adopted()).isNotNull();
            assertThat(entry.adopted().provider()).isEqualTo("anthropic");
            assertThat(entry.adopted().promptVersion()).isEqualTo("v1.3.0");
            assertThat(entry.variants()).as(e.getKey()).hasSize(3);
            for (String v : entry.variants().values()) {
                // every variant is ours now, the previous tool's 1:1 files replaced
                assertThat(VariantMark.read(old.root().resolve("static" + v))).as(v).isPresent();
            }
            assertThat(entry.cropWindows()).hasSize(3);
        }
        // an adopted rejection keeps the image out of hero and gallery
        m.entries().forEach((path, e) -> {
            if ("off-subject".equals(e.rejectedBy())) assertThat(e.selection().role()).isIn("none", "hero");
            if ("off-subject".equals(e.rejectedBy()) && e.selection().role().equals("hero")) assertThat(e.fallback()).isTrue();
        });

        // warm, then without the cache, then --force-score alone: nothing is asked, nothing rewritten
        Map<String, byte[]> before = SampleSite.snapshot(old.root(), false);
        for (int round = 0; round < 3; round++) {
            if (round == 1) deleteTree(old.root().resolve(".image-cache"));
            CountingProvider again = new CountingProvider(local);
            RunSummary r = Runs.score(old.root(), again, ScopeRequest.defaults(), round == 2, false, false);
            assertThat(again.calls()).as("round " + round).isZero();
            assertThat(r.failed()).isZero();
            // the variants say by their marks what they were cut with: nothing is cut again, cache or no cache
            assertThat(r.cropped()).as("round " + round).isZero();
            assertThat(SampleSite.snapshot(old.root(), false)).as("round " + round).containsExactlyEntriesOf(before);
        }
    }

    @Test
    void onlyAnExplicitScopeWithForceScoreJudgesAnAdoptedImageAgain(@TempDir Path dir) throws Exception {
        OldSite old = oldSite(dir);
        Runs.score(old.root(), local);
        List<String> hubble = new ArrayList<>();
        for (String path : old.entries().keySet()) if (path.contains("/hubble/")) hubble.add(path);
        assertThat(hubble).isNotEmpty();

        CountingProvider scoped = new CountingProvider(local);
        Runs.score(old.root(), scoped, HUBBLE, false, false, false);
        assertThat(scoped.calls()).as("--mission alone keeps the adopted judgements").isZero();

        CountingProvider forced = new CountingProvider(local);
        Runs.score(old.root(), forced, HUBBLE, true, false, false);
        assertThat(forced.calls()).isEqualTo(hubble.size());
        Manifest m = ManifestFile.read(old.root().resolve(MANIFEST));
        for (String path : hubble) {
            assertThat(m.entries().get(path).adopted()).as(path).isNull();
            assertThat(m.entries().get(path).scoreKey()).as(path).isNotNull();
        }
        assertThat(m.entries().values().stream().filter(e -> e.adopted() != null).count())
                .isEqualTo(old.entries().size() - hubble.size());
    }

    @Test
    void anAdoptedImageWhoseBytesChangeIsJudgedAfreshAndALiftedFlagRestoresItsJudgement(@TempDir Path dir) throws Exception {
        OldSite old = oldSite(dir);
        String changed = old.entries().keySet().stream().filter(p -> p.contains("/hubble/")).findFirst().orElseThrow();
        String flagged = old.entries().keySet().stream().filter(p -> p.contains("/spirit/")).findFirst().orElseThrow();
        Path curation = old.root().resolve("static/data/image-curation.json");
        Files.writeString(curation, """
                {"version": "1.0", "entries": [{"path": "%s", "reason": "not this one", "flaggedAt": "2026-11-02T00:00:00.000Z"}]}
                """.formatted(flagged));
        Runs.score(old.root(), local);
        assertThat(ManifestFile.read(old.root().resolve(MANIFEST)).entries().get(flagged).score()).isZero();

        byte[] bytes = Files.readAllBytes(old.root().resolve("static" + changed));
        bytes[bytes.length - 3] ^= 1; // other bytes: the old judgement was not made for them
        Files.write(old.root().resolve("static" + changed), bytes);
        Files.writeString(curation, "{\"version\": \"1.0\", \"entries\": []}\n");
        CountingProvider p = new CountingProvider(local);
        Runs.score(old.root(), p);

        assertThat(p.contexts()).extracting(c -> c.path()).containsExactly(changed);
        Manifest m = ManifestFile.read(old.root().resolve(MANIFEST));
        assertThat(m.entries().get(changed).adopted()).isNull();
        assertThat(m.entries().get(flagged).score()).as("the lifted flag restores the adopted score")
                .isEqualTo(old.entries().get(flagged).get("score").asInt());
        assertThat(m.entries().get(flagged).adopted()).isNotNull();
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var files = Files.walk(p)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
