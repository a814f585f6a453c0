package dev.imagevision.manifest;

import dev.imagevision.curation.Curation;
import dev.imagevision.curation.CurationEntry;
import dev.imagevision.site.Mission;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.Usage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class ManifestBuilderTest {
    static final Map<String, Mission> MISSIONS = Map.of("curiosity", new Mission("curiosity", "NASA", "MARS", "ACTIVE"));
    static final String A = "/images/missions/curiosity/01.jpg";
    static final String B = "/images/missions/curiosity/02.jpg";

    static Manifest empty() {
        return new Manifest(1, null, null, null, null, new TreeMap<>());
    }

    static Fresh fresh(String path, int score, Category c) {
        return new Fresh(path, new Judgement(score, "Curiosity on Mars, " + path, c, FocalPoint.of(0.4, 0.6), null, true, null),
                "local", "m", "2026-07-01T00:00:0" + score + ".000Z", Usage.FREE, Map.of("1x1", path.replace(".jpg", ".1x1.jpg")),
                null);
    }

    static Manifest build(Manifest previous, List<Fresh> fresh, Curation c) {
        return ManifestBuilder.build(previous, fresh, ManifestBuilder.Present.all(List.of(A, B)), c, MISSIONS, 5).manifest();
    }

    @Test
    void aFlaggedImageIsScoredZeroAndItsGroupReselected() {
        Curation flag = Curation.empty().flag(A, "wrong rover", "2026-07-02T00:00:00.000Z");
        List<Fresh> f = List.of(fresh(A, 9, Category.SURFACE), fresh(B, 6, Category.OTHER));
        Manifest before = build(empty(), f, Curation.empty());
        assertThat(before.entries().get(A).selection().role()).isEqualTo("hero");
        Manifest after = build(before, f, flag);
        assertThat(after.entries().get(A).score()).isZero();
        assertThat(after.entries().get(A).rejectedBy()).isEqualTo("human");
        assertThat(after.entries().get(A).subject()).isEqualTo(before.entries().get(A).subject());
        assertThat(after.entries().get(B).selection().role()).isEqualTo("hero");
    }

    @Test
    void unflaggingRestoresTheModelScoreTheRunStillHas() {
        List<Fresh> f = List.of(fresh(A, 9, Category.SURFACE), fresh(B, 6, Category.OTHER));
        Manifest flagged = build(empty(), f, Curation.empty().flag(A, "wrong rover", "2026-07-02T00:00:00.000Z"));
        Manifest unflagged = build(flagged, f, Curation.empty());
        assertThat(unflagged.entries().get(A).score()).isEqualTo(9);
        assertThat(unflagged.entries().get(A).rejectedBy()).isNull();
        assertThat(unflagged.entries().get(A).selection().role()).isEqualTo("hero");
        assertThat(unflagged).isEqualTo(build(empty(), f, Curation.empty()));
    }

    @Test
    void aFlaggedImageNeverScoredGetsAnEntryWithoutAProvider() {
        Fresh unscored = new Fresh(A, null, null, null, null, null, Map.of("1x1", "/images/missions/curiosity/01.1x1.jpg"), null);
        Manifest m = build(empty(), List.of(unscored, fresh(B, 6, Category.OTHER)),
                Curation.empty().flag(A, "press photo", "2026-07-02T00:00:00.000Z"));
        ManifestEntry a = m.entries().get(A);
        assertThat(a.score()).isZero();
        assertThat(a.subject()).isEqualTo(ManifestBuilder.FLAGGED_UNSCORED);
        assertThat(a.rejectedBy()).isEqualTo("human");
        assertThat(a.scoredAt()).isNull();
        assertThat(m.entries().get(B).selection().role()).isEqualTo("hero");
    }

    @Test
    void anUnscoredImageThatIsNotFlaggedGetsNoEntry() {
        Fresh unscored = new Fresh(A, null, null, null, null, null, null, null);
        assertThat(build(empty(), List.of(unscored), Curation.empty()).entries()).isEmpty();
    }

    @Test
    void theEditorsCategoryOverrideDecidesSelection() {
        // the model said "people"; the editor says it is the surface
        Curation c = new Curation(null, List.of(new CurationEntry(A, null, null, FocalPoint.of(0.2, 0.8), null, "surface")));
        Manifest m = build(empty(), List.of(fresh(A, 7, Category.PEOPLE), fresh(B, 8, Category.OTHER)), c);
        assertThat(m.entries().get(A).category()).isEqualTo("surface");
        assertThat(m.entries().get(A).focalPoint()).isEqualTo(FocalPoint.of(0.2, 0.8));
        assertThat(m.entries().get(A).selection().role()).isEqualTo("hero");
    }

    @Test
    void generatedAtIsTheNewestScoreNeverTheClock() {
        Manifest m = build(empty(), List.of(fresh(A, 7, Category.SURFACE), fresh(B, 9, Category.OTHER)), Curation.empty());
        assertThat(m.generatedAt()).isEqualTo("2026-07-01T00:00:09.000Z");
        assertThat(build(empty(), List.of(), Curation.empty()).generatedAt()).isNull();
    }

    @Test
    void entriesOfImagesThatLeftTheSiteAreDroppedWithTheirReasonAndTheGroupReselected() {
        Manifest before = build(empty(), List.of(fresh(A, 9, Category.SURFACE), fresh(B, 6, Category.OTHER)), Curation.empty());
        assertThat(before.entries().get(A).selection().role()).isEqualTo("hero");
        // A's file is gone; the editor's flag on it must not bring an entry back
        Curation flag = Curation.empty().flag(A, "gone anyway", "2026-07-02T00:00:00.000Z");
        ManifestBuilder.Result r = ManifestBuilder.build(before, List.of(new Fresh(A, null, null, null, null, null, null, null)),
                new ManifestBuilder.Present(java.util.Set.of(A, B), Map.of(A, "static" + A)), flag, MISSIONS, 5);
        assertThat(r.manifest().entries()).containsOnlyKeys(B);
        assertThat(r.manifest().entries().get(B).selection().role()).isEqualTo("hero");
        assertThat(r.dropped()).containsExactly(new ManifestBuilder.Dropped(A, "its source file static" + A + " is gone"));

        ManifestBuilder.Result noRow = ManifestBuilder.build(before, List.of(), ManifestBuilder.Present.all(List.of(B)),
                Curation.empty(), MISSIONS, 5);
        assertThat(noRow.manifest().entries()).containsOnlyKeys(B);
        assertThat(noRow.dropped()).containsExactly(new ManifestBuilder.Dropped(A, "provenance no longer lists it as a source image"));
    }

    static Fresh made(String path, String provider, String model, String prompt, String at) {
        return new Fresh(path, new Judgement(7, "Curiosity on Mars.", Category.SURFACE, FocalPoint.of(0.5, 0.5), null, true, null),
                provider, model, at, Usage.FREE, null, null, prompt, key(path));
    }

    static String key(String path) {
        return "%064x".formatted(path.hashCode() & 0xffffffffL);
    }

    @Test
    void everyEntryKeepsTheScoreKeyItsJudgementWasMadeUnder() {
        Manifest m = build(empty(), List.of(made(A, "local", "imagevision-local", "local-4", T1),
                made(B, "local", "imagevision-local", "local-4", T2)), Curation.empty());
        assertThat(m.entries().get(A).scoreKey()).isEqualTo(key(A));
        // nothing new about A (no cache), and B flagged: both keep the key they were made under
        Curation flag = Curation.empty().flag(B, "blurry", "2026-07-02T00:00:00.000Z");
        Manifest next = build(m, List.of(new Fresh(A, null, null, null, null, null, null, null),
                new Fresh(B, null, null, null, null, null, null, null)), flag);
        assertThat(next.entries().get(A).scoreKey()).isEqualTo(key(A));
        assertThat(next.entries().get(B).scoreKey()).isEqualTo(key(B));
        assertThat(next.entries().get(B).rejectedBy()).isEqualTo("human");
        // an image flagged before it was ever scored has no judgement, so no key
        Manifest unscored = build(empty(), List.of(new Fresh(A, null, null, null, null, null, null, null)),
                Curation.empty().flag(A, "press photo", "2026-07-02T00:00:00.000Z"));
        assertThat(unscored.entries().get(A).scoreKey()).isNull();
    }

    static final String T1 = "2026-07-01T00:00:01.000Z";
    static final String T2 = "2026-07-01T00:00:02.000Z";

    @Test
    void theHeaderNamesWhoMadeTheNewestEntryAndARunThatScoredNothingLeavesItAsItWas() {
        Manifest m = build(empty(), List.of(made(A, "local", "imagevision-local", "local-4", T1),
                made(B, "anthropic", "claude-sonnet-4-6", "anthropic-1", T2)), Curation.empty());
        assertThat(m.generatedAt()).isEqualTo(T2);
        assertThat(List.of(m.visionProvider(), m.visionModel(), m.promptVersion()))
                .containsExactly("anthropic", "claude-sonnet-4-6", "anthropic-1");

        // a run that had no judgement for anything (a provider without a key, or a lost cache): nothing moves
        List<Fresh> nothing = List.of(new Fresh(A, null, null, null, null, null, null, null),
                new Fresh(B, null, null, null, null, null, null, null));
        assertThat(ManifestFile.bytes(build(m, nothing, Curation.empty()))).isEqualTo(ManifestFile.bytes(m));

        // ties on scored_at are broken by path, so the same inputs always name the same entry
        Manifest tie = build(empty(), List.of(made(B, "anthropic", "claude-sonnet-4-6", "anthropic-1", T1),
                made(A, "local", "imagevision-local", "local-4", T1)), Curation.empty());
        assertThat(tie.visionProvider()).isEqualTo("local");
        assertThat(tie.promptVersion()).isEqualTo("local-4");
    }

    @Test
    void aHeaderThatNamesAnotherProviderThanTheNewestKeptEntryIsCorrected() {
        Manifest local = build(empty(), List.of(made(A, "local", "imagevision-local", "local-4", T1)), Curation.empty());
        // what the old builder wrote after an anthropic run without a key: the run's provider over local entries
        Manifest wrong = new Manifest(1, local.generatedAt(), "anthropic", "claude-sonnet-4-6", "anthropic-1", local.entries());
        Manifest next = build(wrong, List.of(new Fresh(A, null, null, null, null, null, null, null)), Curation.empty());
        assertThat(next.visionProvider()).isEqualTo("local");
        assertThat(next.visionModel()).isEqualTo("imagevision-local");
        assertThat(next.promptVersion()).as("not known from a kept entry").isNull();
        assertThat(ManifestFile.bytes(build(next, List.of(), Curation.empty()))).isEqualTo(ManifestFile.bytes(next));
        // the site's older entries name no provider: their header is all there is, and it stays
        ManifestEntry e = local.entries().get(A);
        ManifestEntry old = new ManifestEntry(e.score(), e.subject(), e.category(), e.focalPoint(), null, null, null,
                e.variants(), null, null, false, null, null, null, e.scoredAt(), 0.0);
        Manifest site = new Manifest(1, T1, "anthropic", "claude-sonnet-4-6", "v1.3.0", new TreeMap<>(Map.of(A, old)));
        assertThat(build(site, List.of(), Curation.empty()).promptVersion()).isEqualTo("v1.3.0");
    }
}
