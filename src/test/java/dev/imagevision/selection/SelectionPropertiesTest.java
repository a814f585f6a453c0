package dev.imagevision.selection;

import dev.imagevision.site.MissionStatus;
import dev.imagevision.vision.Category;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SelectionPropertiesTest {
    static final int T = 5;

    /** One group's shared facts: is it a mission, and the mission's status. */
    record GroupKind(boolean mission, MissionStatus status) {}

    /** An image before it gets its path. */
    record Spec(int score, Category category, boolean subjectMatch, boolean human) {}

    @Provide
    Arbitrary<GroupKind> kinds() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(MissionStatus.class)).as(GroupKind::new);
    }

    @Provide
    Arbitrary<Spec> specs() {
        // biased towards few categories and high scores so that the caps and the tie-breaks are really exercised
        Arbitrary<Integer> score = Arbitraries.oneOf(Arbitraries.integers().between(0, 10),
                Arbitraries.integers().between(5, 10));
        Arbitrary<Category> category = Arbitraries.oneOf(Arbitraries.of(Category.class),
                Arbitraries.of(Category.SPACECRAFT, Category.ORBITAL));
        return Combinators.combine(score, category,
                Arbitraries.of(true, true, true, false), Arbitraries.of(false, false, false, true)).as(Spec::new);
    }

    @Provide
    Arbitrary<List<Spec>> groups() {
        return specs().list().ofMaxSize(30);
    }

    static Candidate candidate(GroupKind kind, String name, Spec s) {
        String group = kind.mission() ? "missions/g" : "fleet-galleries/g";
        MissionStatus status = kind.mission() ? kind.status() : MissionStatus.UNKNOWN;
        return new Candidate("/images/" + group + "/" + name + ".jpg", group, kind.mission(), status, s.score(),
                s.category(), s.subjectMatch(), s.human());
    }

    static List<Candidate> build(GroupKind kind, List<Spec> specs) {
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) out.add(candidate(kind, String.format("%02d", i), specs.get(i)));
        return out;
    }

    static Optional<Placement> hero(List<Placement> ps) {
        List<Placement> heroes = ps.stream().filter(p -> p.role() == Role.HERO).toList();
        assertThat(heroes).hasSizeLessThanOrEqualTo(1);
        return heroes.stream().findFirst();
    }

    @Property
    void galleryHoldsAtMostEightAndAtMostFourPerCategoryWithTheHero(@ForAll("kinds") GroupKind kind,
                                                                   @ForAll("groups") List<Spec> specs) {
        List<Candidate> group = build(kind, specs);
        List<Placement> ps = Selection.selectGroup(group, T);
        Map<String, Candidate> byPath = new java.util.HashMap<>();
        group.forEach(c -> byPath.put(c.path(), c));
        List<Placement> gallery = ps.stream().filter(p -> p.role() == Role.GALLERY).toList();
        assertThat(gallery).hasSizeLessThanOrEqualTo(Selection.GALLERY_SIZE);
        assertThat(gallery.stream().map(Placement::rank).sorted().toList())
                .isEqualTo(java.util.stream.IntStream.rangeClosed(1, gallery.size()).boxed().toList());
        Map<Category, Integer> count = new EnumMap<>(Category.class);
        gallery.forEach(p -> count.merge(byPath.get(p.path()).category(), 1, Integer::sum));
        assertThat(count.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(4));
        hero(ps).filter(h -> !h.fallback()).ifPresent(h -> count.merge(byPath.get(h.path()).category(), 1, Integer::sum));
        assertThat(count.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(Selection.PER_CATEGORY));
        // gallery images are acceptable, and scored no higher than... the images they were preferred to
        gallery.forEach(p -> assertThat(Selection.rejection(byPath.get(p.path()), T)).isNull());
    }

    @Property
    void heroIsNeverPeopleDiagramOrHumanRejectedUnlessFallback(@ForAll("kinds") GroupKind kind,
                                                               @ForAll("groups") List<Spec> specs) {
        List<Candidate> group = build(kind, specs);
        List<Placement> ps = Selection.selectGroup(group, T);
        Optional<Placement> hero = hero(ps);
        boolean anyAcceptable = group.stream().anyMatch(c -> Selection.rejection(c, T) == null);
        boolean anyNotHuman = group.stream().anyMatch(c -> !c.humanRejected());
        assertThat(hero.isPresent()).isEqualTo(anyNotHuman);
        hero.ifPresent(h -> {
            Candidate c = group.stream().filter(x -> x.path().equals(h.path())).findFirst().orElseThrow();
            assertThat(c.humanRejected()).isFalse(); // not even as a fallback
            assertThat(h.fallback()).isEqualTo(!anyAcceptable);
            if (!h.fallback()) {
                assertThat(c.category()).isNotIn(Category.PEOPLE, Category.DIAGRAM);
                assertThat(h.rejectedBy()).isNull();
            }
        });
        assertThat(ps.stream().filter(Placement::fallback).count()).isLessThanOrEqualTo(1);
        if (hero.map(Placement::fallback).orElse(false)) {
            assertThat(ps).noneMatch(p -> p.role() == Role.GALLERY);
        }
    }

    @Property
    void sameInputSameOutputInAnyOrder(@ForAll("kinds") GroupKind kind, @ForAll("groups") List<Spec> specs,
                                       @ForAll long seed) {
        List<Candidate> group = build(kind, specs);
        List<Candidate> shuffled = new ArrayList<>(group);
        Collections.shuffle(shuffled, new Random(seed));
        assertThat(Selection.select(shuffled, T)).isEqualTo(Selection.select(group, T));
        assertThat(Selection.selectGroup(shuffled, T)).isEqualTo(Selection.selectGroup(group, T));
    }

    @Property
    void everyPlacementCarriesItsFirstRejection(@ForAll("kinds") GroupKind kind, @ForAll("groups") List<Spec> specs) {
        List<Candidate> group = build(kind, specs);
        for (Placement p : Selection.selectGroup(group, T)) {
            Candidate c = group.stream().filter(x -> x.path().equals(p.path())).findFirst().orElseThrow();
            assertThat(p.rejectedBy()).isEqualTo(p.role() == Role.GALLERY ? null : Selection.rejection(c, T));
            assertThat(p.group()).isEqualTo(c.group());
            assertThat(p.rank()).isEqualTo(switch (p.role()) {
                case HERO -> 0;
                case GALLERY -> p.rank();
                case NONE -> -1;
            });
        }
    }

    /**
     * "Worse than the hero" means: the new image X could not have been chosen over the hero H by
     * the spec's rules. Precisely, X is worse when it is human-rejected, or
     * <ul>
     *   <li>H is a real hero (acceptable) and X is not acceptable, or X is acceptable but ranks below H
     *       in the hero order: spacecraft/surface before other categories, then higher score, then
     *       smaller path;</li>
     *   <li>H is a fallback and X is not acceptable and has a lower score than H, or the same score
     *       and a larger path.</li>
     * </ul>
     * A group with no hero (empty, or all human-rejected) only gets worse by human-rejected images.
     */
    static boolean worse(Candidate x, Candidate h, boolean fallback) {
        if (x.humanRejected()) return true;
        if (h == null) return false;
        boolean xOk = Selection.rejection(x, T) == null;
        if (!fallback) {
            if (!xOk) return true;
            boolean xHeroCat = Selection.heroCategory(x.category());
            boolean hHeroCat = Selection.heroCategory(h.category());
            if (xHeroCat != hHeroCat) return hHeroCat;
            if (x.score() != h.score()) return x.score() < h.score();
            return x.path().compareTo(h.path()) > 0;
        }
        if (xOk) return false;
        if (x.score() != h.score()) return x.score() < h.score();
        return x.path().compareTo(h.path()) > 0;
    }

    @Property(maxDiscardRatio = 20)
    void addingAWorseImageNeverChangesTheHero(@ForAll("kinds") GroupKind kind, @ForAll("groups") List<Spec> specs,
                                             @ForAll("specs") Spec extra, @ForAll @IntRange(max = 40) int slot) {
        List<Candidate> group = build(kind, specs);
        // "07x" sorts right after "07": the new path can fall before or after the hero's
        Candidate x = candidate(kind, String.format("%02dx", slot), extra);
        Optional<Placement> before = hero(Selection.selectGroup(group, T));
        Candidate h = before.flatMap(p -> group.stream().filter(c -> c.path().equals(p.path())).findFirst()).orElse(null);
        Assume.that(worse(x, h, before.map(Placement::fallback).orElse(false)));

        List<Candidate> grown = new ArrayList<>(group);
        grown.add(x);
        Optional<Placement> after = hero(Selection.selectGroup(grown, T));
        assertThat(after).isEqualTo(before);
    }

    @Property
    void aBetterSpacecraftImageDoesBecomeHero(@ForAll("kinds") GroupKind kind, @ForAll("groups") List<Spec> specs) {
        // the converse, so the property above cannot pass by never changing anything
        List<Candidate> group = build(kind, specs);
        Candidate x = candidate(kind, "00a", new Spec(10, Category.SPACECRAFT, true, false));
        List<Candidate> grown = new ArrayList<>(group);
        grown.add(x);
        Placement after = hero(Selection.selectGroup(grown, T)).orElseThrow();
        boolean tiedEarlier = group.stream().anyMatch(c -> Selection.rejection(c, T) == null
                && Selection.heroCategory(c.category()) && c.score() == 10 && c.path().compareTo(x.path()) < 0);
        if (!tiedEarlier) assertThat(after.path()).isEqualTo(x.path());
    }
}
