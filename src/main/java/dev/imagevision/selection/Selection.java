package dev.imagevision.selection;

import dev.imagevision.site.MissionStatus;
import dev.imagevision.vision.Category;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Hero and gallery per entity group (spec M2, M3, M13; PRODUCT.md § Selection). Pure: the same
 * candidates always give the same placements; ties break by path.
 *
 * <p>The category cap counts the hero: the spec caps each category at 4 "in the 9-image gallery",
 * which is the hero plus its 8 gallery slots.
 */
public final class Selection {
    public static final int GALLERY_SIZE = 8;
    public static final int PER_CATEGORY = 4;

    private Selection() {}

    /** Best first: higher score, then path. */
    static final Comparator<Candidate> BEST = Comparator.comparingInt(Candidate::score).reversed()
            .thenComparing(Candidate::path);

    /** The first rule that rejects the image, or null when it is acceptable. */
    public static Rejection rejection(Candidate c, int threshold) {
        if (c.humanRejected()) return Rejection.HUMAN;
        if (c.priorRejection() != null) return Rejection.PREVIOUS_TOOL;
        if (!c.subjectMatch()) return Rejection.OFF_SUBJECT;
        if (c.category() == Category.PEOPLE) return Rejection.CATEGORY_PEOPLE;
        if (c.category() == Category.DIAGRAM) return Rejection.CATEGORY_DIAGRAM;
        if (c.category() == Category.RENDER && c.missionGroup() && c.missionStatus() != MissionStatus.PLANNED) {
            return Rejection.RENDER_ON_FLOWN_MISSION;
        }
        if (c.score() < threshold) return Rejection.SCORE_BELOW_THRESHOLD;
        return null;
    }

    /** Spacecraft and surface images are what a hero should show (spec M3). */
    public static boolean heroCategory(Category c) {
        return c == Category.SPACECRAFT || c == Category.SURFACE;
    }

    /** Placements for every candidate, keyed and ordered by path. */
    public static Map<String, Placement> select(List<Candidate> candidates, int threshold) {
        Map<String, List<Candidate>> groups = new TreeMap<>();
        for (Candidate c : candidates) groups.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c);
        Map<String, Placement> out = new TreeMap<>();
        for (List<Candidate> group : groups.values()) {
            for (Placement p : selectGroup(group, threshold)) out.put(p.path(), p);
        }
        return out;
    }

    /**
     * Placements for one group's candidates, best first. Paths must be unique within the group.
     * Hero: the best acceptable spacecraft or surface image, else the best acceptable image, else
     * (fallback) the best image a human did not reject. Gallery: the next acceptable images by
     * score, at most {@value #GALLERY_SIZE}, at most {@value #PER_CATEGORY} of a category with the hero.
     */
    public static List<Placement> selectGroup(List<Candidate> group, int threshold) {
        List<Candidate> sorted = new ArrayList<>(group);
        sorted.sort(BEST);
        Map<String, Rejection> rejected = new TreeMap<>();
        List<Candidate> acceptable = new ArrayList<>();
        for (Candidate c : sorted) {
            Rejection r = rejection(c, threshold);
            if (r == null) acceptable.add(c);
            else rejected.put(c.path(), r);
        }

        Candidate hero = acceptable.stream().filter(c -> heroCategory(c.category())).findFirst()
                .orElse(acceptable.isEmpty() ? null : acceptable.get(0));
        boolean fallback = false;
        if (hero == null) {
            hero = sorted.stream().filter(c -> !c.humanRejected()).findFirst().orElse(null);
            fallback = hero != null;
        }

        Map<String, Integer> galleryRank = new TreeMap<>();
        Map<Category, Integer> perCategory = new EnumMap<>(Category.class);
        if (hero != null && !fallback) perCategory.put(hero.category(), 1);
        Set<String> taken = new HashSet<>();
        if (hero != null) taken.add(hero.path());
        for (Candidate c : acceptable) {
            if (galleryRank.size() == GALLERY_SIZE) break;
            if (taken.contains(c.path())) continue;
            int used = perCategory.getOrDefault(c.category(), 0);
            if (used == PER_CATEGORY) continue;
            perCategory.put(c.category(), used + 1);
            galleryRank.put(c.path(), galleryRank.size() + 1);
        }

        List<Placement> out = new ArrayList<>(group.size());
        for (Candidate c : sorted) {
            Rejection r = rejected.get(c.path());
            if (hero != null && c.path().equals(hero.path())) {
                // a fallback hero keeps its rejection so readers see why it is only a fallback
                out.add(new Placement(c.path(), c.group(), Role.HERO, 0, r, fallback));
            } else if (galleryRank.containsKey(c.path())) {
                out.add(new Placement(c.path(), c.group(), Role.GALLERY, galleryRank.get(c.path()), null, false));
            } else {
                out.add(new Placement(c.path(), c.group(), Role.NONE, -1, r, false));
            }
        }
        return out;
    }
}
