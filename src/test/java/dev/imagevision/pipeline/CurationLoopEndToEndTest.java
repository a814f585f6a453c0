package dev.imagevision.pipeline;

import dev.imagevision.judgements.ProviderChoice;

import dev.imagevision.cli.Main;
import dev.imagevision.curation.CurationStore;
import dev.imagevision.fixtures.SiteFixtures;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.manifest.ManifestSchemaAssert;
import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.selection.Selection;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteConfig;
import dev.imagevision.testing.CountingProvider;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;
import dev.imagevision.vision.local.LocalProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The curation loop on a copy of the bundled sample site with the offline provider: score → flag
 * the hero of a group through the audit report's stdin payload → score again with zero provider
 * calls, the image human-rejected and its group's hero moved → a third run rewrites nothing →
 * unflag brings the model's score and the hero back → an override re-crops without a call → the
 * prompt carries the newest deny-list reasons; a mission missing from the index is reported once.
 */
class CurationLoopEndToEndTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-07-06T07:04:20.112Z"), ZoneOffset.UTC);

    record Outcome(RunSummary summary, CountingProvider provider, String log) {}

    static Outcome score(Path root, ScopeRequest scope, boolean force) throws IOException {
        CountingProvider p = new CountingProvider(new LocalProvider(dev.imagevision.testing.Runs.CODEC, SiteConfig.DEFAULT_MAX_INPUT_PIXELS));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RunOptions o = new RunOptions(scope, force, false, false, false, ProviderChoice.of(p), CLOCK, Progress.NONE,
                new PrintStream(log, true, StandardCharsets.UTF_8), true, false, dev.imagevision.testing.Runs.CODEC);
        RunSummary s = Pipeline.run(Site.load(root), o);
        assertThat(s.providerCalls()).isEqualTo(p.calls());
        return new Outcome(s, p, log.toString(StandardCharsets.UTF_8));
    }

    static Outcome score(Path root) throws IOException {
        return score(root, ScopeRequest.defaults(), false);
    }

    static int cli(String stdin, String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(new StringWriter()), new PrintWriter(err), args);
        assertThat(code).as(err.toString()).isZero();
        return code;
    }

    static Manifest manifest(Path root) {
        return ManifestFile.read(root.resolve("static/data/image-vision.json"));
    }

    static List<Map.Entry<String, ManifestEntry>> group(Manifest m, String group) {
        return m.entries().entrySet().stream().filter(e -> e.getValue().selection().group().equals(group)).toList();
    }

    static String hero(Manifest m, String group) {
        return group(m, group).stream().filter(e -> e.getValue().selection().role().equals("hero")).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    @Test
    void flagRescoreWithoutCallsThenStable(@TempDir Path tmp) throws IOException {
        Path root = SiteFixtures.copySample(tmp.resolve("site"));
        Path manifestFile = root.resolve("static/data/image-vision.json");

        // 1. a cold run scores everything
        Outcome first = score(root);
        Manifest m1 = manifest(root);
        assertThat(first.provider().calls()).isEqualTo(m1.entries().size()).isPositive();
        ManifestSchemaAssert.assertValid(manifestFile);
        ManifestSchemaAssert.assertEverySelectionSet(m1);

        // the mission group with the most images whose hero is a real (non-fallback) hero
        String group = m1.entries().values().stream().map(e -> e.selection().group()).distinct()
                .filter(g -> g.startsWith("missions/") && group(m1, g).size() >= 3)
                .filter(g -> !Boolean.TRUE.equals(m1.entries().get(hero(m1, g)).fallback()))
                .max(Comparator.comparingInt((String g) -> group(m1, g).size()).thenComparing(g -> g)).orElseThrow();
        String flagged = hero(m1, group);
        ManifestEntry modelEntry = m1.entries().get(flagged);
        // expected new hero: among the others that were acceptable, spacecraft/surface first, then score, then path
        String expectedHero = group(m1, group).stream().filter(e -> !e.getKey().equals(flagged))
                .filter(e -> e.getValue().rejectedBy() == null)
                .min(Comparator.comparing((Map.Entry<String, ManifestEntry> e) ->
                                !Selection.heroCategory(Category.parse(e.getValue().category()).orElseThrow()))
                        .thenComparing(e -> -e.getValue().score()).thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey).orElseThrow();
        Map<String, String> variantsBefore = SiteFixtures.snapshot(root.resolve("static/images"));

        // 2. the editor flags the hero with the audit report's payload on stdin
        cli("{\"path\": \"static" + flagged + "\", \"reason\": \"Looks like a render, not the spacecraft\"}",
                "flag", "--root", root.toString());

        // 3. the next run applies it without any provider call
        Outcome second = score(root);
        assertThat(second.provider().calls()).isZero();
        Manifest m2 = manifest(root);
        ManifestEntry rejected = m2.entries().get(flagged);
        assertThat(rejected.score()).isZero();
        assertThat(rejected.rejectedBy()).isEqualTo("human");
        assertThat(rejected.selection().role()).isEqualTo("none");
        assertThat(rejected.subject()).isEqualTo(modelEntry.subject());
        assertThat(hero(m2, group)).isEqualTo(expectedHero).isNotEqualTo(flagged);
        assertThat(m2.entries().get(expectedHero).rejectedBy()).isNull();
        // groups the flag does not touch keep their selection
        m1.entries().forEach((path, e) -> {
            if (!e.selection().group().equals(group)) assertThat(m2.entries().get(path)).as(path).isEqualTo(e);
        });
        // no override came with the flag, so no variant was re-cut
        assertThat(SiteFixtures.snapshot(root.resolve("static/images"))).isEqualTo(variantsBefore);
        ManifestSchemaAssert.assertValid(manifestFile);

        // 4. a third run changes no byte anywhere (manifest, report, variants, curation, cache)
        Map<String, String> afterSecond = SiteFixtures.snapshot(root);
        Outcome third = score(root);
        assertThat(third.provider().calls()).isZero();
        assertThat(SiteFixtures.snapshot(root)).isEqualTo(afterSecond);
        StringWriter err = new StringWriter();
        assertThat(Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(new StringWriter()),
                new PrintWriter(err), "validate", "--root", root.toString())).as(err.toString()).isZero();
        assertThat(err.toString()).contains("0 errors · 0 warnings");

        // 5. unflagging restores the cached model score and the hero, still without a call
        cli("", "flag", "--root", root.toString(), "--unflag", flagged);
        Outcome fourth = score(root);
        assertThat(fourth.provider().calls()).isZero();
        Manifest m4 = manifest(root);
        assertThat(m4.entries().get(flagged).score()).isEqualTo(modelEntry.score());
        assertThat(hero(m4, group)).isEqualTo(flagged);
        assertThat(Files.readAllBytes(manifestFile)).isEqualTo(ManifestFile.bytes(m1));
    }

    @Test
    void anOverrideRecropsWithoutACallAndThePromptCarriesTheNewestReasons(@TempDir Path tmp) throws IOException {
        Path root = SiteFixtures.copySample(tmp.resolve("site"));
        String mission = "crs-21";
        ScopeRequest scope = new ScopeRequest(mission, null, null, null, null, null, false, false);
        // the mission drops out of the missions index: its six images still score, and the run says so once
        Path index = root.resolve("static/data/missions/index.json");
        Files.writeString(index, Files.readString(index).replaceFirst("\\{\\s*\"id\": \"crs-21\"[^}]*},?", ""));
        assertThat(Site.load(root).missions()).doesNotContainKey(mission);
        Outcome first = score(root, scope, false);
        assertThat(first.provider().calls()).isPositive();
        assertThat(first.log().lines().filter(l -> l.contains("mission \"crs-21\" is not in the missions index"))).hasSize(1);
        Manifest m1 = manifest(root);
        // an image that is not square, so its 1:1 window can move
        String image = m1.entries().entrySet().stream().filter(e -> e.getKey().contains("/" + mission + "/"))
                .filter(e -> e.getValue().cropWindows().get("1x1").w() < 1 || e.getValue().cropWindows().get("1x1").h() < 1)
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        var square = m1.entries().get(image).cropWindows().get("1x1");
        Path squareFile = root.resolve("static" + m1.entries().get(image).variants().get("1x1"));
        byte[] squareBefore = Files.readAllBytes(squareFile);
        // the review page's override path: subject and focal point in the corner the window does not reach yet
        boolean atBottomRight = square.x() + square.w() >= 0.999 && square.y() + square.h() >= 0.999;
        double corner = atBottomRight ? 0.0 : 0.95;
        CurationStore store = CurationStore.of(Site.load(root), CLOCK);
        store.override(image, FocalPoint.of(corner + 0.02, corner + 0.02), SubjectBox.of(corner, corner, 0.05, 0.05), null);

        Outcome second = score(root, scope, false);
        assertThat(second.provider().calls()).isZero();
        ManifestEntry after = manifest(root).entries().get(image);
        assertThat(after.focalPoint()).isEqualTo(FocalPoint.of(corner + 0.02, corner + 0.02));
        assertThat(after.subjectBox()).isEqualTo(SubjectBox.of(corner, corner, 0.05, 0.05));
        assertThat(after.cropWindows().get("1x1")).isNotEqualTo(square);
        assertThat(Files.readAllBytes(squareFile)).isNotEqualTo(squareBefore);

        // six flags elsewhere; a forced re-score of the mission sends the five newest reasons, newest first
        List<String> others = Site.load(root).sources().stream().map(s -> s.path())
                .filter(p -> !p.contains("/" + mission + "/")).limit(6).toList();
        for (int i = 0; i < others.size(); i++) {
            cli("", "flag", "--root", root.toString(), others.get(i), "--reason", "reason number " + i);
        }
        Outcome forced = score(root, scope, true);
        assertThat(forced.provider().contexts()).isNotEmpty().allSatisfy(c -> assertThat(c.recentDenyReasons())
                .containsExactly("reason number 5", "reason number 4", "reason number 3", "reason number 2", "reason number 1"));
    }
}
