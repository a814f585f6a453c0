package dev.imagevision.pipeline;

import dev.imagevision.cache.CacheKeys;
import dev.imagevision.cache.ScoreCache;
import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.cache.StatIndex;
import dev.imagevision.crop.CropSpec;
import dev.imagevision.crop.OpenCvCodec;
import dev.imagevision.curation.Curation;
import dev.imagevision.curation.CurationEntry;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestBuilder;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteRoot;
import dev.imagevision.site.SourceImage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Select stage, first half: every source image with its hash, score key, cached score and state. */
final class Inventory {
    private Inventory() {}

    static List<Item> take(Site site, Curation curation, StatIndex index, ScoreCache scores, ProviderChoice provider,
                           Manifest previous) {
        Map<String, dev.imagevision.curation.CurationEntry> rows = curation.byPath();
        Set<String> current = new TreeSet<>();
        for (SourceImage s : site.sources()) current.add(s.path());
        List<CropSpec> specs = site.config().variants();
        return site.sources().parallelStream().map(s -> {
            Item i = item(site.root(), s, rows.get(s.path()), index, scores, provider);
            if (i.error != null) return i;
            return i.withVariants(slots(site.root(), s, specs, index, previous.entries().get(s.path()), current));
        }).toList();
    }

    /** Where each variant of a source goes and whether the tool may write there (see {@link VariantSlot}). */
    static List<VariantSlot> slots(SiteRoot root, SourceImage s, List<CropSpec> specs, StatIndex index,
                                   ManifestEntry previous, Set<String> currentSources) {
        List<VariantSlot> out = new java.util.ArrayList<>(specs.size());
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

    private static Item item(SiteRoot root, SourceImage s, dev.imagevision.curation.CurationEntry row, StatIndex index,
                             ScoreCache scores, ProviderChoice provider) {
        Path file;
        try {
            file = root.readableImage(s.path());
        } catch (SiteRoot.PathEscapeException e) {
            return new Item(s, null, null, null, null, row, e.getMessage() + "; never read");
        } catch (IOException e) {
            return new Item(s, null, null, null, null, row, "cannot resolve image file: " + e.getMessage());
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return new Item(s, file, null, null, null, row, "image file is missing: " + root.root().relativize(file), true);
        }
        if (!Files.isRegularFile(file)) {
            return new Item(s, file, null, null, null, row, "not a regular file: " + root.root().relativize(file));
        }
        String sha;
        try {
            sha = index.sha256(s.path(), file);
        } catch (IOException e) {
            return new Item(s, file, null, null, null, row, "cannot read image file: " + e.getMessage());
        }
        String key = CacheKeys.score(sha, provider.id(), provider.model(), provider.promptVersion());
        ScoreRecord record = scores.get(key).orElse(null);
        return new Item(s, file, sha, key, record, row, null);
    }

    /**
     * The images the site has now, from which the manifest drops the entries of images that left it.
     * A row provenance still names but that cannot be used this run keeps its entry. When not one
     * source file is found, the static folder is misplaced or not checked out rather than emptied:
     * nothing is dropped for a missing file then, and the log says so.
     */
    static ManifestBuilder.Present present(Site site, List<Item> items, PrintStream log) {
        Set<String> sources = new TreeSet<>();
        for (Item i : items) sources.add(i.path());
        for (Site.Refusal r : site.refused()) if (r.path() != null) sources.add(r.path());
        Map<String, String> missing = new TreeMap<>();
        for (Item i : items) if (i.missing) missing.put(i.path(), site.root().root().relativize(i.file).toString());
        if (!items.isEmpty() && missing.size() == items.size()) {
            log.println("note: not one of the " + items.size() + " source files exists under "
                    + site.root().root().relativize(site.root().staticDir()) + "/ (is static_dir right?); "
                    + "no manifest entry is dropped for a missing file this run");
            missing.clear();
        }
        return new ManifestBuilder.Present(sources, missing);
    }

    /**
     * True when a manifest entry is what a run with the score cache would keep as it is (spec M20: never reprocess
     * unchanged entries): made under this very score key (same bytes, provider, model and prompt version), with the
     * editor's flag and crop overrides already in it, and every variant it names on disk (the stat index that would
     * vouch for them is in the cache too). Without the judgement nothing could be cut again, so anything less needs
     * work, which then means a fresh score.
     */
    static boolean current(Item item, ManifestEntry entry, SiteRoot root, boolean skipCrops) {
        if (entry.scoreKey() == null || !entry.scoreKey().equals(item.scoreKey)) return false;
        if (!item.flagged() && entry.score() != null && entry.score() == 0) return false; // unflagged: the model's score is needed again
        CurationEntry row = item.curation;
        if (row != null && row.focalPoint() != null && !row.focalPoint().equals(entry.focalPoint())) return false;
        if (row != null && row.subjectBox() != null && !row.subjectBox().equals(entry.subjectBox())) return false;
        if (skipCrops) return true;
        Map<String, String> variants = entry.variants();
        for (VariantSlot slot : item.variants) {
            if (!slot.writable()) continue; // a variant the tool may not write is not missing work
            String variant = variants == null ? null : variants.get(slot.id());
            if (variant == null || !variant.equals(slot.path())) return false;
            try {
                if (!Files.isRegularFile(root.resolveImage(variant), LinkOption.NOFOLLOW_LINKS)) return false;
            } catch (SiteRoot.PathEscapeException e) {
                return false;
            }
        }
        return true;
    }

    /** Variant cache key of one spec for an item, from its effective focal point and box. */
    static String variantKey(Item item, CropSpec spec) {
        return CacheKeys.variant(item.sha256, item.focalPoint(), item.subjectBox(), spec, OpenCvCodec.LIBRARY);
    }

    /**
     * Incremental runs take an item when the manifest lacks it, it has no usable score, or its variants are stale.
     * An entry made under the item's current score key stands in for a score the cache has lost.
     */
    static boolean needsWork(Item item, Manifest manifest, StatIndex index, SiteRoot root, List<CropSpec> specs,
                             boolean skipCrops) {
        ManifestEntry entry = manifest.entries().get(item.path());
        if (entry == null) return true;
        if (item.error != null) return true;
        if (item.judgement() == null && current(item, entry, root, skipCrops)) return false;
        if (!item.flagged() && item.judgement() == null) return true;
        if (skipCrops || !item.croppable()) return false;
        for (int i = 0; i < specs.size(); i++) {
            VariantSlot slot = item.variants.get(i);
            if (!slot.writable()) continue;
            if (!index.outputUpToDate(slot.path(), root.resolveImage(slot.path()), variantKey(item, specs.get(i)))) return true;
        }
        return false;
    }
}
