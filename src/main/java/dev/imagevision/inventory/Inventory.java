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
     * run) or here: two spellings of one file refused, what the site refused, the variants the tool may
     * not write, rows under a variant's name that are not that variant, and which files are gone.
     *
     * @param images one per source, in the site's source order
     */
    public static Inventory of(Site site, List<Image> images) {
        images = unaliased(site.root(), images);
        List<Problem> problems = new ArrayList<>();
        site.refused().forEach(r -> problems.add(new Problem(r.path(), "provenance", r.reason())));
        // every run says which variants it may not write, in scope or not: they stay unpublished until the file moves
        for (Image i : images) {
            for (VariantSlot slot : i.variants()) if (!slot.writable()) problems.add(new Problem(i.path(), "crop", slot.refusal()));
        }
        problems.addAll(listedVariants(site, images));
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

    /**
     * Rows the site lists under a source's variant name are skipped without a word only when they are what
     * the name says: that source's variant, this tool's to write. A picture of its own sitting there, or the
     * variant of a source that cannot be used this run, is named, so nothing in provenance vanishes silently.
     */
    static List<Problem> listedVariants(Site site, List<Image> images) {
        Map<String, Image> byPath = new java.util.HashMap<>();
        for (Image i : images) byPath.put(i.path(), i);
        List<Problem> out = new ArrayList<>();
        for (Map.Entry<String, String> row : new TreeMap<>(site.variantRows()).entrySet()) {
            Image source = byPath.get(row.getValue());
            if (source == null) continue;
            Path file = site.root().resolveImage(row.getKey());
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) continue; // nothing there yet: the tool will write it
            if (source.error() != null) {
                out.add(new Problem(row.getKey(), "provenance", "listed under a variant's name of " + source.path()
                        + ", which cannot be used this run; not judged as a picture of its own"));
                continue;
            }
            boolean ours = false;
            for (VariantSlot slot : source.variants()) ours |= slot.writable() && row.getKey().equals(slot.path());
            if (!ours) {
                out.add(new Problem(row.getKey(), "provenance", "listed under a variant's name of " + source.path()
                        + ", but it is not a variant this tool writes there; not judged (list it under a name of "
                        + "its own to have it judged as a picture)"));
            }
        }
        return out;
    }

    /**
     * Two rows must never be one file, and two variants never one file, whatever the spelling of their
     * paths: a folder linked inside the static folder makes {@code /images/b/x.jpg} the file
     * {@code /images/a/x.jpg} is, and its variants the other's. The first row (in path order) keeps the
     * file; a later one is refused by name, and a variant that would land on another's is not written.
     */
    static List<Image> unaliased(SiteRoot root, List<Image> images) {
        Map<Path, String> fileOwner = new java.util.HashMap<>();
        Map<Path, String> variantOwner = new java.util.HashMap<>();
        Map<Path, Path> realDirs = new java.util.HashMap<>();
        List<Image> out = new ArrayList<>(images.size());
        for (Image i : images) {
            if (i.error() != null || i.file() == null) {
                out.add(i);
                continue;
            }
            String first = fileOwner.putIfAbsent(i.file(), i.path());
            if (first != null) {
                out.add(Image.unusable(i.source(), i.file(), i.curation(), i.entry(), "is the same file as " + first
                        + " (another spelling of its path, or a linked folder); the first one is used", false));
                continue;
            }
            List<VariantSlot> slots = new ArrayList<>(i.variants().size());
            for (VariantSlot slot : i.variants()) {
                if (!slot.writable()) {
                    slots.add(slot);
                    continue;
                }
                Path lexical = root.resolveImage(slot.path());
                Path dir = realDirs.computeIfAbsent(lexical.getParent(), d -> {
                    try {
                        return d.toRealPath();
                    } catch (IOException e) {
                        return d;
                    }
                });
                String other = variantOwner.putIfAbsent(dir.resolve(lexical.getFileName()), i.path() + " (" + slot.id() + ")");
                slots.add(other == null ? slot : VariantSlot.refused(slot.id(), "its " + slot.id() + " variant "
                        + slot.path() + " is the same file as the variant of " + other + " (a linked folder)"));
            }
            out.add(new Image(i.source(), i.file(), i.sha256(), i.scoreKey(), i.cached(), i.curation(), i.entry(), slots,
                    i.width(), i.height(), null, false));
        }
        return out;
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
                facts = VariantSlot.facts(root, spec.id(), path, index, previous);
            } catch (IOException e) {
                out.add(VariantSlot.refused(spec.id(), "cannot look at " + path + ": " + e.getMessage()));
                continue;
            }
            out.add(VariantSlot.decide(spec.id(), path, s.path(), facts, currentSources));
        }
        return out;
    }
}
