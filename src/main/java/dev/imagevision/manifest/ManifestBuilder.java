package dev.imagevision.manifest;

import dev.imagevision.curation.Curation;
import dev.imagevision.curation.CurationEntry;
import dev.imagevision.selection.Candidate;
import dev.imagevision.selection.Placement;
import dev.imagevision.selection.Rejection;
import dev.imagevision.selection.Selection;
import dev.imagevision.site.ImagePath;
import dev.imagevision.site.Mission;
import dev.imagevision.site.MissionStatus;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.Judgement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The next manifest from the previous one, this run's fresh data, the deny-list and the missions
 * index. Pure. Entries of images that left the site are dropped; entries this run knows nothing
 * new about are kept; every entry is re-selected.
 */
public final class ManifestBuilder {
    private ManifestBuilder() {}

    /** The manifest, the mission ids that selection met but the missions index lacks, and the entries dropped. */
    public record Result(Manifest manifest, Set<String> unknownMissions, List<Dropped> dropped) {}

    /** An entry of the previous manifest that is gone from this one, and why. */
    public record Dropped(String path, String reason) {}

    /**
     * The images the site has now: every path provenance names as a source, and those among them
     * whose file is gone (path → the file looked for, as shown to the user).
     */
    public record Present(Set<String> sources, Map<String, String> missingFiles, Map<String, String> withdrawn) {
        public Present(Set<String> sources, Map<String, String> missingFiles) {
            this(sources, missingFiles, Map.of());
        }

        /** A site where every one of {@code paths} is a source with its file in place. */
        public static Present all(java.util.Collection<String> paths) {
            return new Present(Set.copyOf(paths), Map.of());
        }

        /**
         * The same, with entries that must leave the manifest although their image is there: an older
         * tool's judgement that cannot be used, with no new one this run (path → why).
         */
        public Present withdrawing(Map<String, String> entries) {
            return new Present(sources, missingFiles, Map.copyOf(entries));
        }
    }

    /** Provider, model and prompt version as the header names them. */
    public record Header(String provider, String model, String promptVersion) {}

    static final String FLAGGED_UNSCORED = "Flagged by the editor; not scored.";

    /** The entries of {@code previous} whose image left the site, in path order: what the next build drops. */
    public static List<Dropped> gone(Manifest previous, Present present) {
        List<Dropped> dropped = new ArrayList<>();
        for (String path : new TreeMap<>(previous.entries()).keySet()) {
            String why = goneReason(path, present);
            if (why != null) dropped.add(new Dropped(path, why));
        }
        return dropped;
    }

    public static Result build(Manifest previous, List<Fresh> fresh, Present present, Curation curation,
                               Map<String, Mission> missions, int threshold) {
        Map<String, ManifestEntry> entries = new TreeMap<>(previous.entries());
        List<Dropped> dropped = gone(previous, present);
        dropped.forEach(d -> entries.remove(d.path()));
        Map<String, CurationEntry> rows = curation.byPath();
        Map<String, Header> madeBy = new TreeMap<>();
        for (Fresh f : fresh) {
            if (goneReason(f.path(), present) != null) continue; // a flag on a deleted image makes no entry either
            ManifestEntry old = entries.get(f.path());
            ManifestEntry next = entry(f, old, rows.get(f.path()), previous);
            if (next != null) entries.put(f.path(), next);
            if (f.judgement() != null) madeBy.put(f.path(), new Header(f.provider(), f.model(), f.promptVersion()));
        }
        // the deny-list applies to every entry, scored this run or not
        for (Map.Entry<String, ManifestEntry> e : entries.entrySet()) {
            CurationEntry row = rows.get(e.getKey());
            if (row != null && row.flagged()) e.setValue(e.getValue().withScore(0));
        }

        Set<String> unknownMissions = new TreeSet<>();
        List<Candidate> candidates = new ArrayList<>();
        for (Map.Entry<String, ManifestEntry> e : entries.entrySet()) {
            ImagePath image = ImagePath.of(e.getKey());
            MissionStatus status = MissionStatus.UNKNOWN;
            if (image.isMission()) {
                Mission m = missions.get(image.entity());
                if (m == null) unknownMissions.add(image.entity());
                else status = m.missionStatus();
            }
            ManifestEntry m = e.getValue();
            candidates.add(new Candidate(e.getKey(), image.group(), image.isMission(), status,
                    m.score() == null ? 0 : m.score(), Category.parse(m.category()).orElse(Category.OTHER),
                    m.subjectMatch() == null || m.subjectMatch(),
                    rows.containsKey(e.getKey()) && rows.get(e.getKey()).flagged(),
                    m.adopted() == null ? null : m.adopted().rejectedBy()));
        }
        Map<String, Placement> placements = Selection.select(candidates, threshold);
        for (Map.Entry<String, ManifestEntry> e : entries.entrySet()) {
            Placement p = placements.get(e.getKey());
            String rejectedBy = p.rejectedBy() == null ? null
                    : p.rejectedBy() == Rejection.PREVIOUS_TOOL ? e.getValue().adopted().rejectedBy() : p.rejectedBy().id();
            e.setValue(e.getValue().withSelection(
                    new ManifestEntry.Selection(p.group(), p.role().id(), p.rank() < 0 ? null : p.rank()),
                    rejectedBy, p.fallback()));
        }
        String newest = newest(entries);
        String generatedAt = newest == null ? null : entries.get(newest).scoredAt();
        Header header = newest == null ? header(previous, null, null) : header(previous, entries.get(newest), madeBy.get(newest));
        Manifest manifest = new Manifest(Manifest.VERSION, generatedAt, header.provider(), header.model(),
                header.promptVersion(), entries);
        return new Result(manifest, unknownMissions, List.copyOf(dropped));
    }

    /** The entry with the latest scored_at (the first path among equals), or null when none has one. */
    static String newest(Map<String, ManifestEntry> entries) {
        String newest = null, at = null;
        for (Map.Entry<String, ManifestEntry> e : entries.entrySet()) {
            String s = e.getValue().scoredAt();
            if (s != null && (at == null || s.compareTo(at) > 0)) {
                newest = e.getKey();
                at = s;
            }
        }
        return newest;
    }

    /**
     * The header describes the newest entry, the one generated_at comes from: a run that scored
     * nothing leaves it as it was, whatever provider the run was started with. When the newest
     * entry's judgement was at hand this run its provider, model and prompt version are known; an
     * entry only kept from the previous manifest keeps the previous header, unless it names another
     * provider or model, whose prompt version is then unknown (null).
     *
     * @param made the identity of the newest entry's judgement when this run had it, else null
     */
    static Header header(Manifest previous, ManifestEntry newest, Header made) {
        Header before = new Header(previous.visionProvider(), previous.visionModel(), previous.promptVersion());
        if (newest == null) return before;
        if (made != null) return made;
        if (newest.provider() == null) return before; // the site's older entries name no provider
        if (newest.provider().equals(before.provider()) && java.util.Objects.equals(newest.model(), before.model())) {
            return before;
        }
        return new Header(newest.provider(), newest.model(), null);
    }

    /** Why an image is no longer part of the site, or null while it is. */
    static String goneReason(String path, Present present) {
        if (!present.sources().contains(path)) return "provenance no longer lists it as a source image";
        String file = present.missingFiles().get(path);
        if (file != null) return "its source file " + file + " is gone";
        return present.withdrawn().get(path);
    }

    /** The entry for a source this run looked at, or null to leave the manifest as it was. */
    static ManifestEntry entry(Fresh f, ManifestEntry old, CurationEntry row, Manifest previous) {
        Map<String, String> variants = f.variants() != null ? f.variants() : old == null ? null : old.variants();
        Map<String, dev.imagevision.crop.CropWindow.Fraction> windows =
                f.variants() != null ? f.cropWindows() : old == null ? null : old.cropWindows();
        if (f.adoptedSha256() != null && old != null) {
            // the previous tool's judgement is kept as it is; the editor's overrides apply as to any entry
            Adoption a = old.adopted() != null ? old.adopted() : Adoption.of(old, previous, f.adoptedSha256());
            return new ManifestEntry(a.score(), old.subject(),
                    row != null && row.category() != null ? row.category() : a.category(),
                    row != null && row.focalPoint() != null ? row.focalPoint() : a.focalPoint(),
                    row != null && row.subjectBox() != null ? row.subjectBox() : a.subjectBox(),
                    old.subjectMatch(), old.rejectReason(), variants, windows, old.rejectedBy(), old.fallback(),
                    old.selection(), old.provider(), old.model(), old.scoredAt(), old.scoringCostUsd(), null, a);
        }
        Judgement j = f.judgement();
        if (j == null) {
            if (row != null && row.flagged()) { // flagged images are never sent to a provider
                return new ManifestEntry(0, old == null ? FLAGGED_UNSCORED : old.subject(),
                        row.category() != null ? row.category() : old == null ? Category.OTHER.id() : old.category(),
                        row.focalPoint() != null ? row.focalPoint() : old == null ? null : old.focalPoint(),
                        row.subjectBox() != null ? row.subjectBox() : old == null ? null : old.subjectBox(),
                        old == null ? null : old.subjectMatch(), old == null ? null : old.rejectReason(),
                        variants, windows, null, false, null, old == null ? null : old.provider(),
                        old == null ? null : old.model(), old == null ? null : old.scoredAt(),
                        old == null ? null : old.scoringCostUsd(), old == null ? null : old.scoreKey(),
                        old == null ? null : old.adopted()); // a flag hides an adopted judgement; lifting it restores it
            }
            if (old == null) return null;
            return new ManifestEntry(old.score(), old.subject(), old.category(), old.focalPoint(), old.subjectBox(),
                    old.subjectMatch(), old.rejectReason(), variants, windows, old.rejectedBy(), old.fallback(),
                    old.selection(), old.provider(), old.model(), old.scoredAt(), old.scoringCostUsd(), old.scoreKey(),
                    old.adopted());
        }
        String category = row != null && row.category() != null ? row.category() : j.category().id();
        return new ManifestEntry(j.score(), j.subject(), category,
                row != null && row.focalPoint() != null ? row.focalPoint() : j.focalPoint(),
                row != null && row.subjectBox() != null ? row.subjectBox() : j.subjectBox(),
                j.subjectMatch(), j.rejectReason(), variants, windows, null, false, null, f.provider(), f.model(),
                f.scoredAt(), f.usage() == null ? 0.0 : round6(f.usage().costUsd()), f.scoreKey());
    }

    static double round6(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
