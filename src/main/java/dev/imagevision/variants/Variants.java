package dev.imagevision.variants;

import dev.imagevision.cache.AtomicFiles;
import dev.imagevision.cache.StatIndex;
import dev.imagevision.cache.VariantCache;
import dev.imagevision.crop.CropSpec;
import dev.imagevision.crop.CropWindow;
import dev.imagevision.crop.DecodeBudget;
import dev.imagevision.crop.ImageCodec;
import dev.imagevision.crop.ImageException;
import dev.imagevision.crop.VariantCutter;
import dev.imagevision.crop.VariantMark;
import dev.imagevision.inventory.Image;
import dev.imagevision.inventory.Problem;
import dev.imagevision.inventory.VariantSlot;
import dev.imagevision.site.SiteRoot;
import dev.imagevision.vision.Judgement;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The variants stage, one image at a time: variants that are up to date are left alone, variants
 * in the cache are copied, and the rest are cut from one decode of the source, within a
 * {@link DecodeBudget} so memory stays bounded whatever the image sizes and however many images
 * are cut at once. Safe to share between threads.
 */
public final class Variants {
    private final SiteRoot root;
    private final List<CropSpec> specs;
    private final StatIndex index;
    private final VariantCache cache;
    private final VariantCutter cutter;
    private final String library;
    private final DecodeBudget budget = new DecodeBudget(DecodeBudget.DEFAULT_BYTES);

    public Variants(SiteRoot root, List<CropSpec> specs, StatIndex index, VariantCache cache, ImageCodec codec,
                    long maxInputPixels) {
        this.root = root;
        this.specs = List.copyOf(specs);
        this.index = index;
        this.cache = cache;
        this.cutter = new VariantCutter(codec, maxInputPixels);
        this.library = codec.libraryMajorVersion();
    }

    /**
     * What one image's variants are after this run.
     *
     * @param variants id → path of every variant on disk for this image (null: not looked at, the manifest keeps its own)
     * @param windows  id → the window each was cut from, as fractions of the source
     * @param cut      something was cut (not only found up to date or copied from the cache)
     */
    public record Cut(String path, Map<String, String> variants, Map<String, CropWindow.Fraction> windows, boolean cut,
                      List<Problem> problems) {
        public Cut {
            problems = List.copyOf(problems);
        }

        static Cut notLookedAt(String path) {
            return new Cut(path, null, null, false, List.of());
        }
    }

    /** Cuts what one image needs, from its judgement (or the editor's override, or the centre for a flagged image). */
    public Cut cut(Image image, Judgement j) throws IOException {
        if (!image.croppable(j)) return Cut.notLookedAt(image.path());
        try {
            return cutOne(image, j);
        } catch (ImageException e) {
            return new Cut(image.path(), null, null, false, List.of(new Problem(image.path(), "crop", e.getMessage())));
        }
    }

    private Cut cutOne(Image image, Judgement j) throws ImageException, IOException {
        Cut upToDate = unchanged(image, j);
        if (upToDate != null) return upToDate;
        List<CropSpec> writable = writable(image);
        if (writable.isEmpty()) return new Cut(image.path(), Map.of(), Map.of(), false, List.of());
        VariantCutter.Plan plan = cutter.plan(image.file(), image.focalPoint(j), image.subjectBox(j), writable);
        index.recordPixels(image.path(), plan.sourceWidth(), plan.sourceHeight());
        Map<String, String> paths = new TreeMap<>();
        Map<String, CropWindow.Fraction> fractions = new TreeMap<>();
        List<CropSpec> toCut = new ArrayList<>();
        for (int i = 0; i < writable.size(); i++) {
            CropSpec spec = writable.get(i);
            VariantSlot slot = image.slot(spec.id());
            paths.put(spec.id(), slot.path());
            fractions.put(spec.id(), plan.windows().get(i).asFraction(plan.sourceWidth(), plan.sourceHeight()));
            String key = image.variantKey(j, spec, library);
            if (slot.upToDate(key)) continue;
            var hit = cache.get(key);
            if (hit.isPresent()) write(image, spec, hit.get(), key);
            else toCut.add(spec);
        }
        boolean cut = false;
        if (!toCut.isEmpty()) {
            VariantCutter.Plan cutPlan = plan.only(toCut);
            VariantCutter.Cut done = budget.run(cutPlan.decodedBytes(), () -> cutter.cut(cutPlan));
            for (VariantCutter.Variant v : done.variants()) {
                String key = image.variantKey(j, v.spec(), library);
                cache.put(key, v.jpeg());
                write(image, v.spec(), v.jpeg(), key);
            }
            cut = true;
        }
        return new Cut(image.path(), paths, fractions, cut, List.of());
    }

    /** Publishes one variant, carrying the mark that says whose variant it is (the cache keeps the encoder's bytes). */
    private void write(Image image, CropSpec spec, byte[] jpeg, String key) throws IOException {
        String variant = image.slot(spec.id()).path();
        Path dest = root.resolveImage(variant);
        AtomicFiles.writeIfChanged(dest, VariantMark.marked(jpeg, spec.id(), key, image.path()));
        index.recordOutput(variant, dest, key);
    }

    private List<CropSpec> writable(Image image) {
        List<CropSpec> out = new ArrayList<>();
        for (CropSpec spec : specs) if (image.slot(spec.id()).writable()) out.add(spec);
        return out;
    }

    /**
     * The variants and windows of an image whose every writable variant is up to date and whose pixel
     * size is known: the windows are the same pure function of size, focal point and box that cut them,
     * so a warm run does not open the source at all. Null when anything must be looked at.
     */
    private Cut unchanged(Image image, Judgement j) {
        if (image.width() <= 0 || image.height() <= 0) return null;
        List<CropSpec> writable = writable(image);
        for (CropSpec spec : writable) {
            if (!image.slot(spec.id()).upToDate(image.variantKey(j, spec, library))) return null;
        }
        int w = image.width(), h = image.height();
        List<CropWindow> windows = VariantCutter.windows(w, h, image.focalPoint(j), image.subjectBox(j), writable);
        Map<String, String> paths = new TreeMap<>();
        Map<String, CropWindow.Fraction> fractions = new TreeMap<>();
        for (int i = 0; i < writable.size(); i++) {
            paths.put(writable.get(i).id(), image.slot(writable.get(i).id()).path());
            fractions.put(writable.get(i).id(), windows.get(i).asFraction(w, h));
        }
        return new Cut(image.path(), paths, fractions, false, List.of());
    }

    /** The library part of every variant key, e.g. {@code opencv-4+cut2}. */
    public String library() {
        return library;
    }
}
