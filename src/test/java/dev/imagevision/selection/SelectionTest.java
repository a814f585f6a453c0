package dev.imagevision.selection;

import dev.imagevision.site.MissionStatus;
import dev.imagevision.vision.Category;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class SelectionTest {
    static final int T = 5;

    /** A candidate in a non-mission group with everything acceptable unless changed. */
    static Candidate img(String name, int score, Category category) {
        return new Candidate("/images/fleet-galleries/x/" + name + ".jpg", "fleet-galleries/x", false,
                MissionStatus.UNKNOWN, score, category, true, false);
    }

    static Candidate missionImg(String name, MissionStatus status, int score, Category category) {
        return new Candidate("/images/missions/m/" + name + ".jpg", "missions/m", true, status, score, category, true,
                false);
    }

    static Candidate offSubject(Candidate c) {
        return new Candidate(c.path(), c.group(), c.missionGroup(), c.missionStatus(), c.score(), c.category(), false,
                c.humanRejected());
    }

    static Candidate human(Candidate c) {
        return new Candidate(c.path(), c.group(), c.missionGroup(), c.missionStatus(), c.score(), c.category(),
                c.subjectMatch(), true);
    }

    static Map<String, Placement> byName(List<Placement> ps) {
        return ps.stream().collect(Collectors.toMap(p -> p.path().replaceAll(".*/(\\w+)\\.jpg", "$1"), p -> p));
    }

    @ParameterizedTest(name = "{0}: score {1}, {2}, on-subject {3}, human {4}, mission {5}/{6} → {7}")
    @CsvSource(nullValues = "-", value = {
            // case                     score category    match  human  mission status   expected
            "acceptable,                   5, spacecraft, true,  false, false, UNKNOWN, -",
            "below threshold,              4, spacecraft, true,  false, false, UNKNOWN, score-below-threshold",
            "people,                       9, people,     true,  false, false, UNKNOWN, category-people",
            "diagram,                      9, diagram,    true,  false, false, UNKNOWN, category-diagram",
            "off-subject,                  9, spacecraft, false, false, false, UNKNOWN, off-subject",
            "human,                        9, spacecraft, true,  true,  false, UNKNOWN, human",
            "human beats off-subject,      9, people,     false, true,  false, UNKNOWN, human",
            "off-subject beats people,     2, people,     false, false, false, UNKNOWN, off-subject",
            "people beats score,           2, people,     true,  false, false, UNKNOWN, category-people",
            "diagram beats score,          2, diagram,    true,  false, false, UNKNOWN, category-diagram",
            "render beats score,           2, render,     true,  false, true,  FLOWN,   render-on-flown-mission",
            "render in non-mission group,  7, render,     true,  false, false, UNKNOWN, -",
            "render on PLANNED mission,    7, render,     true,  false, true,  PLANNED, -",
            "render on FLOWN mission,      9, render,     true,  false, true,  FLOWN,   render-on-flown-mission",
            "render on ACTIVE mission,     9, render,     true,  false, true,  ACTIVE,  render-on-flown-mission",
            "render on ENDED mission,      9, render,     true,  false, true,  ENDED,   render-on-flown-mission",
            "render on CRASHED mission,    9, render,     true,  false, true,  CRASHED, render-on-flown-mission",
            "render on LOST mission,       9, render,     true,  false, true,  LOST,    render-on-flown-mission",
            "render on unknown mission,    9, render,     true,  false, true,  UNKNOWN, render-on-flown-mission",
            "render on PLANNED below bar,  4, render,     true,  false, true,  PLANNED, score-below-threshold",
            "surface on FLOWN mission,     6, surface,    true,  false, true,  FLOWN,   -",
    })
    void rejectionRulesInPrecedenceOrder(String name, int score, String category, boolean match, boolean human,
                                         boolean mission, MissionStatus status, String expected) {
        Candidate c = new Candidate("/images/x/y/01.jpg", "x/y", mission, status, score,
                Category.parse(category).orElseThrow(), match, human);
        Rejection r = Selection.rejection(c, T);
        assertThat(r == null ? null : r.id()).isEqualTo(expected);
    }

    @Test
    void thresholdIsAParameter() {
        Candidate c = img("a", 6, Category.SPACECRAFT);
        assertThat(Selection.rejection(c, 6)).isNull();
        assertThat(Selection.rejection(c, 7)).isEqualTo(Rejection.SCORE_BELOW_THRESHOLD);
    }

    @Test
    void heroIsHighestScoringSpacecraftOrSurface() {
        var p = byName(Selection.selectGroup(List.of(img("a", 9, Category.ORBITAL), img("b", 6, Category.SPACECRAFT),
                img("c", 7, Category.SURFACE), img("d", 10, Category.LAUNCH)), T));
        assertThat(p.get("c").role()).isEqualTo(Role.HERO);
        assertThat(p.get("c").rank()).isZero();
        assertThat(p.get("c").fallback()).isFalse();
        assertThat(p.get("d").rank()).isEqualTo(1);
        assertThat(p.get("a").rank()).isEqualTo(2);
        assertThat(p.get("b").rank()).isEqualTo(3);
    }

    @Test
    void heroFallsBackToHighestAcceptableWhenNoSpacecraftOrSurfaceIsAcceptable() {
        var p = byName(Selection.selectGroup(List.of(img("a", 6, Category.ORBITAL), img("b", 8, Category.HARDWARE),
                img("c", 4, Category.SPACECRAFT), offSubject(img("d", 10, Category.SURFACE))), T));
        assertThat(p.get("b").role()).isEqualTo(Role.HERO);
        assertThat(p.get("b").fallback()).isFalse();
        assertThat(p.get("a").role()).isEqualTo(Role.GALLERY);
        assertThat(p.get("c").rejectedBy()).isEqualTo(Rejection.SCORE_BELOW_THRESHOLD);
        assertThat(p.get("d").rejectedBy()).isEqualTo(Rejection.OFF_SUBJECT);
    }

    @Test
    void renderIsHeroOnAPlannedMissionButNeverOnAFlownOne() {
        var planned = byName(Selection.selectGroup(List.of(missionImg("a", MissionStatus.PLANNED, 7, Category.RENDER),
                missionImg("b", MissionStatus.PLANNED, 6, Category.OTHER)), T));
        assertThat(planned.get("a").role()).isEqualTo(Role.HERO);
        var flown = byName(Selection.selectGroup(List.of(missionImg("a", MissionStatus.FLOWN, 7, Category.RENDER),
                missionImg("b", MissionStatus.FLOWN, 6, Category.OTHER)), T));
        assertThat(flown.get("b").role()).isEqualTo(Role.HERO);
        assertThat(flown.get("a").role()).isEqualTo(Role.NONE);
        assertThat(flown.get("a").rejectedBy()).isEqualTo(Rejection.RENDER_ON_FLOWN_MISSION);
    }

    @Test
    void galleryIsNextEightByScore() {
        List<Candidate> group = new ArrayList<>();
        Category[] cats = {Category.ORBITAL, Category.LAUNCH, Category.HARDWARE, Category.OTHER};
        for (int i = 0; i < 12; i++) group.add(img("i" + (10 + i), 10 - i / 2, cats[i % 4]));
        group.add(img("hero", 5, Category.SPACECRAFT));
        List<Placement> ps = Selection.selectGroup(group, T);
        var p = byName(ps);
        assertThat(p.get("hero").role()).isEqualTo(Role.HERO);
        List<String> gallery = ps.stream().filter(x -> x.role() == Role.GALLERY)
                .sorted((a, b) -> Integer.compare(a.rank(), b.rank())).map(x -> x.path().replaceAll(".*/(\\w+)\\.jpg", "$1"))
                .toList();
        assertThat(gallery).containsExactly("i10", "i11", "i12", "i13", "i14", "i15", "i16", "i17");
        assertThat(p.get("i18").role()).isEqualTo(Role.NONE);
        assertThat(p.get("i18").rejectedBy()).isNull(); // acceptable, just not picked
    }

    @Test
    void atMostFourOfACategoryCountingTheHero() {
        List<Candidate> group = new ArrayList<>();
        for (int i = 0; i < 6; i++) group.add(img("s" + i, 9, Category.SPACECRAFT));
        for (int i = 0; i < 6; i++) group.add(img("o" + i, 6, Category.ORBITAL));
        group.add(img("l0", 5, Category.LAUNCH));
        var p = byName(Selection.selectGroup(group, T));
        assertThat(p.get("s0").role()).isEqualTo(Role.HERO);
        // s1..s3 join the hero (4 spacecraft in all), s4 and s5 are skipped for lower-scoring images
        assertThat(List.of("s1", "s2", "s3")).allSatisfy(n -> assertThat(p.get(n).rank()).isBetween(1, 3));
        assertThat(p.get("s4").role()).isEqualTo(Role.NONE);
        assertThat(p.get("s5").role()).isEqualTo(Role.NONE);
        assertThat(List.of("o0", "o1", "o2", "o3")).allSatisfy(n -> assertThat(p.get(n).role()).isEqualTo(Role.GALLERY));
        assertThat(p.get("o4").role()).isEqualTo(Role.NONE);
        assertThat(p.get("l0").rank()).isEqualTo(8);
    }

    @Test
    void tiesBreakByPath() {
        var p = byName(Selection.selectGroup(List.of(img("b", 8, Category.SURFACE), img("a", 8, Category.SPACECRAFT),
                img("d", 7, Category.OTHER), img("c", 7, Category.OTHER)), T));
        assertThat(p.get("a").role()).isEqualTo(Role.HERO);
        assertThat(p.get("b").rank()).isEqualTo(1);
        assertThat(p.get("c").rank()).isEqualTo(2);
        assertThat(p.get("d").rank()).isEqualTo(3);
    }

    @Test
    void nothingAcceptableGivesTheBestNonHumanRejectedImageAsFallback() {
        var p = byName(Selection.selectGroup(List.of(human(img("a", 10, Category.SPACECRAFT)),
                img("b", 9, Category.PEOPLE), img("c", 3, Category.SPACECRAFT), img("d", 9, Category.DIAGRAM)), T));
        assertThat(p.get("b").role()).isEqualTo(Role.HERO);
        assertThat(p.get("b").fallback()).isTrue();
        assertThat(p.get("b").rejectedBy()).isEqualTo(Rejection.CATEGORY_PEOPLE);
        assertThat(p.get("a").role()).isEqualTo(Role.NONE);
        assertThat(p.get("a").rejectedBy()).isEqualTo(Rejection.HUMAN);
        assertThat(p.values()).filteredOn(x -> x.role() == Role.GALLERY).isEmpty();
        assertThat(p.values()).filteredOn(Placement::fallback).hasSize(1);
    }

    @Test
    void aGroupRejectedEntirelyByHumansHasNoHero() {
        var ps = Selection.selectGroup(List.of(human(img("a", 10, Category.SPACECRAFT)),
                human(img("b", 2, Category.OTHER))), T);
        assertThat(ps).allSatisfy(x -> {
            assertThat(x.role()).isEqualTo(Role.NONE);
            assertThat(x.rejectedBy()).isEqualTo(Rejection.HUMAN);
        });
    }

    @Test
    void humanRejectionMovesTheHeroToTheNextBest() {
        Candidate a = img("a", 10, Category.SPACECRAFT);
        Candidate b = img("b", 8, Category.SPACECRAFT);
        assertThat(byName(Selection.selectGroup(List.of(a, b), T)).get("a").role()).isEqualTo(Role.HERO);
        var after = byName(Selection.selectGroup(List.of(human(a), b), T));
        assertThat(after.get("b").role()).isEqualTo(Role.HERO);
        assertThat(after.get("a").rejectedBy()).isEqualTo(Rejection.HUMAN);
    }

    @Test
    void groupsAreSelectedIndependently() {
        Candidate x = img("a", 6, Category.OTHER);
        Candidate y = missionImg("a", MissionStatus.ACTIVE, 9, Category.SURFACE);
        Map<String, Placement> out = Selection.select(List.of(x, y), T);
        assertThat(out.get(x.path()).role()).isEqualTo(Role.HERO);
        assertThat(out.get(y.path()).role()).isEqualTo(Role.HERO);
        assertThat(out.get(y.path()).group()).isEqualTo("missions/m");
    }

    @Test
    void emptyGroupSelectsNothing() {
        assertThat(Selection.selectGroup(List.of(), T)).isEmpty();
        assertThat(Selection.select(List.of(), T)).isEmpty();
    }
}
