package dev.imagevision.pipeline;

import dev.imagevision.cache.AtomicFiles;
import dev.imagevision.cache.FanOut;
import dev.imagevision.cache.StatIndex;
import dev.imagevision.cache.VariantCache;
import dev.imagevision.crop.CropSpec;
import dev.imagevision.crop.CropWindow;
import dev.imagevision.crop.DecodeBudget;
import dev.imagevision.crop.ImageException;
import dev.imagevision.crop.VariantCutter;
import dev.imagevision.crop.VariantMark;
import dev.imagevision.manifest.Fresh;
import dev.imagevision.site.SiteRoot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Crop stage: for each image, variants that are up to date are left alone, variants in the
 * cache are copied, and the rest are cut from one decode of the source. Images are worked on in
 * parallel, one per core, within a {@link DecodeBudget} so that memory stays bounded whatever
 * the image sizes.
 */
final class Cropping {
    /** Variant paths and windows per image path. */
    record Outcome(Map<String, Fresh> variants, int cropped, List<Problem> problems) {}

    private Cropping() {}

    static Outcome run(List<Item> items, List<CropSpec> specs, SiteRoot root, StatIndex index, VariantCache cache,
                       Supplier<VariantCutter> cutter, RunOptions o) throws IOException {
        List<Item> work = items.stream().filter(Item::croppable).toList();
        Map<String, Fresh> out = new ConcurrentHashMap<>();
        List<Problem> problems = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger cropped = new AtomicInteger();
        if (work.isEmpty()) return new Outcome(out, 0, problems);
        o.progress().start("crop", work.size());
        VariantCutter shared = cutter.get();
        DecodeBudget budget = new DecodeBudget(DecodeBudget.DEFAULT_BYTES);
        try {
            FanOut.forEach(work, Runtime.getRuntime().availableProcessors(), item -> {
                try {
                    out.put(item.path(), cropOne(item, specs, root, index, cache, shared, budget, cropped));
                } catch (ImageException e) {
                    problems.add(new Problem(item.path(), "crop", e.getMessage()));
                } finally {
                    o.progress().step();
                }
            });
        } finally {
            o.progress().finish();
        }
        return new Outcome(out, cropped.get(), problems);
    }

    private static Fresh cropOne(Item item, List<CropSpec> specs, SiteRoot root, StatIndex index, VariantCache cache,
                                 VariantCutter cutter, DecodeBudget budget, AtomicInteger cropped)
            throws ImageException, IOException {
        Fresh upToDate = unchanged(item, specs, root, index);
        if (upToDate != null) return upToDate;
        List<CropSpec> writable = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) if (item.variants.get(i).writable()) writable.add(specs.get(i));
        if (writable.isEmpty()) return new Fresh(item.path(), null, null, null, null, null, Map.of(), Map.of());
        VariantCutter.Plan plan = cutter.plan(item.file, item.focalPoint(), item.subjectBox(), writable);
        index.recordPixels(item.path(), plan.sourceWidth(), plan.sourceHeight());
        Map<String, String> paths = new TreeMap<>();
        Map<String, CropWindow.Fraction> fractions = new TreeMap<>();
        List<CropSpec> toCut = new ArrayList<>();
        for (int i = 0; i < writable.size(); i++) {
            CropSpec spec = writable.get(i);
            String variant = slot(item, spec).path();
            paths.put(spec.id(), variant);
            fractions.put(spec.id(), plan.windows().get(i).asFraction(plan.sourceWidth(), plan.sourceHeight()));
            Path dest = root.resolveImage(variant);
            String key = Inventory.variantKey(item, spec);
            if (index.outputUpToDate(variant, dest, key)) continue;
            var hit = cache.get(key);
            if (hit.isPresent()) {
                write(item, spec, dest, hit.get(), index, key);
            } else {
                toCut.add(spec);
            }
        }
        if (!toCut.isEmpty()) {
            VariantCutter.Plan cutPlan = plan.only(toCut);
            VariantCutter.Cut cut = budget.run(cutPlan.decodedBytes(), () -> cutter.cut(cutPlan));
            for (VariantCutter.Variant v : cut.variants()) {
                String key = Inventory.variantKey(item, v.spec());
                cache.put(key, v.jpeg());
                write(item, v.spec(), root.resolveImage(slot(item, v.spec()).path()), v.jpeg(), index, key);
            }
            cropped.incrementAndGet();
        }
        return new Fresh(item.path(), null, null, null, null, null, paths, fractions);
    }

    /** Publishes one variant, carrying the mark that says whose variant it is (the cache keeps the encoder's bytes). */
    private static void write(Item item, CropSpec spec, Path dest, byte[] jpeg, StatIndex index, String key)
            throws IOException {
        String variant = slot(item, spec).path();
        AtomicFiles.writeIfChanged(dest, VariantMark.marked(jpeg, spec.id(), item.path()));
        index.recordOutput(variant, dest, key);
    }

    private static VariantSlot slot(Item item, CropSpec spec) {
        for (VariantSlot s : item.variants) if (s.id().equals(spec.id())) return s;
        throw new IllegalStateException("no slot for " + spec.id() + " of " + item.path());
    }

    /**
     * The variants and windows of an image whose every writable variant is up to date and whose pixel
     * size is known: the windows are the same pure function of size, focal point and box that cut them, so
     * a warm run does not open the source at all. Null when anything must be looked at.
     */
    private static Fresh unchanged(Item item, List<CropSpec> specs, SiteRoot root, StatIndex index) {
        var pixels = index.pixels(item.path());
        if (pixels.isEmpty()) return null;
        List<CropSpec> writable = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            VariantSlot slot = item.variants.get(i);
            if (!slot.writable()) continue;
            if (!index.outputUpToDate(slot.path(), root.resolveImage(slot.path()), Inventory.variantKey(item, specs.get(i)))) {
                return null;
            }
            writable.add(specs.get(i));
        }
        int w = pixels.get().width(), h = pixels.get().height();
        List<CropWindow> windows = VariantCutter.windows(w, h, item.focalPoint(), item.subjectBox(), writable);
        Map<String, String> paths = new TreeMap<>();
        Map<String, CropWindow.Fraction> fractions = new TreeMap<>();
        for (int i = 0; i < writable.size(); i++) {
            paths.put(writable.get(i).id(), slot(item, writable.get(i)).path());
            fractions.put(writable.get(i).id(), windows.get(i).asFraction(w, h));
        }
        return new Fresh(item.path(), null, null, null, null, null, paths, fractions);
    }
}
