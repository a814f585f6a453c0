package dev.imagevision.inventory;

import dev.imagevision.cache.CacheKeys;
import dev.imagevision.cache.ScoreCache;
import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.cache.StatIndex;
import dev.imagevision.crop.CropSpec;
import dev.imagevision.curation.Curation;
import dev.imagevision.curation.CurationEntry;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestBuilder;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteRoot;
import dev.imagevision.site.SourceImage;
import dev.imagevision.vision.ModelIdentity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The first stage: every source image of the site with what the disk says about it, read once —
 * its content hash and score key, its cached score, the editor's row, its previous manifest entry,
 * where its variants go and whether the tool may write there. Everything later is decided from
 * these facts without looking at the disk again.
 *
 * @param images   every source, in provenance-path order
 * @param present  what the manifest stage keeps: the sources provenance names and the files gone
 * @param note     a line for the log about the static folder, or null
 * @param problems what the site refused on the way, and the variants the tool may not write
 */
public record Inventory(List<Image> images, ManifestBuilder.Present present, String note, List<Problem> problems) {

    public Inventory {
        images = List.copyOf(images);
        problems = List.copyOf(problems);
    }

    public static Inventory take(Site site, Curation curation, Manifest previous, StatIndex index, ScoreCache scores,
                                 ModelIdentity scorer) {
        Map<String, CurationEntry> rows = curation.byPath();
        Set<String> current = new TreeSet<>();
        for (SourceImage s : site.sources()) current.add(s.path());
        List<CropSpec> specs = site.config().variants();
        List<Image> images = site.sources().parallelStream()
                .map(s -> image(site.root(), s, rows.get(s.path()), previous.entries().get(s.path()), index, scores,
                        scorer, specs, current))
                .toList();
        return of(site, images);
    }

    /**
     * The inventory of images whose disk facts were read elsewhere (by the workers of a distributed
     * run): what the site refused, the variants the tool may not write, and which files are gone.
     *
     * @param images one per source, in the site's source order
     */
    public static Inventory of(Site site, List<Image> images) {
        List<Problem> problems = new ArrayList<>();
        site.refused().forEach(r -> problems.add(new Problem(r.path(), "provenance", r.reason())));
        // every run says which variants it may not write, in scope or not: they stay unpublished until the file moves
        for (Image i : images) {
            for (VariantSlot slot : i.variants()) if (!slot.writable()) problems.add(new Problem(i.path(), "crop", slot.refusal()));
        }
        Map<String, String> missing = new TreeMap<>();
        for (Image i : images) if (i.missing()) missing.put(i.path(), site.root().root().relativize(i.file()).toString());
        String note = null;
        if (!images.isEmpty() && missing.size() == images.size()) {
            // the static folder is misplaced or not checked out rather than emptied
            note = "note: not one of the " + images.size() + " source files exists under "
                    + site.root().root().relativize(site.root().staticDir()) + "/ (is static_dir right?); "
                    + "no manifest entry is dropped for a missing file this run";
            missing.clear();
        }
        Set<String> sources = new TreeSet<>();
        for (SourceImage s : site.sources()) sources.add(s.path());
        for (Site.Refusal r : site.refused()) if (r.path() != null) sources.add(r.path());
        return new Inventory(images, new ManifestBuilder.Present(sources, missing), note, problems);
    }

    private static Image image(SiteRoot root, SourceImage s, CurationEntry row, ManifestEntry entry, StatIndex index,
                               ScoreCache scores, ModelIdentity scorer, List<CropSpec> specs, Set<String> current) {
        Path file;
        try {
            file = root.readableImage(s.path());
        } catch (SiteRoot.PathEscapeException e) {
            return Image.unusable(s, null, row, entry, e.getMessage() + "; never read", false);
        } catch (IOException e) {
            return Image.unusable(s, null, row, entry, "cannot resolve image file: " + e.getMessage(), false);
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Image.unusable(s, file, row, entry, "image file is missing: " + root.root().relativize(file), true);
        }
        if (!Files.isRegularFile(file)) {
            return Image.unusable(s, file, row, entry, "not a regular file: " + root.root().relativize(file), false);
        }
        String sha;
        try {
            sha = index.sha256(s.path(), file);
        } catch (IOException e) {
            return Image.unusable(s, file, row, entry, "cannot read image file: " + e.getMessage(), false);
        }
        String key = CacheKeys.score(sha, scorer.id(), scorer.model(), scorer.promptVersion());
        ScoreRecord record = scores.get(key).orElse(null);
        var pixels = index.pixels(s.path());
        return new Image(s, file, sha, key, record, row, entry, slots(root, s, specs, index, entry, current),
                pixels.map(StatIndex.Pixels::width).orElse(0), pixels.map(StatIndex.Pixels::height).orElse(0), null, false);
    }

    /** Where each variant of a source goes and whether the tool may write there (see {@link VariantSlot}). */
    static List<VariantSlot> slots(SiteRoot root, SourceImage s, List<CropSpec> specs, StatIndex index,
                                   ManifestEntry previous, Set<String> currentSources) {
        List<VariantSlot> out = new ArrayList<>(specs.size());
        for (CropSpec spec : specs) {
            String path = s.variantPath(spec.id());
            if (path == null) {
                out.add(VariantSlot.refused(spec.id(), s.variants().refused().get(spec.id())));
                continue;
            }
            VariantSlot.Facts facts;
            try {
                facts = VariantSlot.facts(root, path, index, previous);
            } catch (IOException e) {
                out.add(VariantSlot.refused(spec.id(), "cannot look at " + path + ": " + e.getMessage()));
                continue;
            }
            out.add(VariantSlot.decide(spec.id(), path, s.path(), facts, currentSources));
        }
        return out;
    }
}
