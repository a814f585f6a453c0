package dev.imagevision.report;

import dev.imagevision.cache.AtomicFiles;
import dev.imagevision.cache.FanOut;
import dev.imagevision.cache.StatIndex;
import dev.imagevision.crop.CropWindow;
import dev.imagevision.crop.ImageException;
import dev.imagevision.crop.ImageCodec;
import dev.imagevision.curation.Curation;
import dev.imagevision.curation.CurationEntry;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteRoot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The report stage's shell: gathers what {@link AuditData} needs from the site (thumbnails,
 * crop previews for unsaved overrides, the ledger) and writes the page atomically.
 */
public final class AuditReport {
    private AuditReport() {}

    /** What writing the report did. */
    public record Written(Path file, int images, int thumbnailsMade, int thumbnailFailures, long bytes, boolean changed) {}

    /** The page as a file: written at the end of every score run and by {@code imagevision report}. */
    public static Written write(Site site, Manifest manifest, Curation curation, Path target, ImageCodec codec)
            throws IOException {
        Path cacheDir = site.file(site.config().paths().cache());
        return write(site, manifest, ManifestFile.bytes(manifest), curation,
                StatIndex.load(cacheDir.resolve("stat-index.json")), target, codec);
    }

    /**
     * As {@link #write(Site, Manifest, Curation, Path, ImageCodec)}, with the manifest's bytes as just written and
     * the stat index a score run already holds, so a warm run neither re-serialises nor re-reads them.
     */
    public static Written write(Site site, Manifest manifest, byte[] manifestBytes, Curation curation, StatIndex index,
                                Path target, ImageCodec codec) throws IOException {
        return write(site, manifest, manifestBytes, curation, index, target, Sources.onDisk(site.root(), index), codec);
    }

    /**
     * What the page reads of each source: its content hash and, only for a thumbnail the cache lacks or
     * an override's crop preview, the file or its pixel size. On disk for the CLI; a distributed run
     * answers from what its workers read, so the machine writing the page need not hold the images.
     */
    public interface Sources {
        /** The source's content hash; an IOException (missing, unreadable) is what its card says. */
        String sha256(String path) throws IOException;

        /** The source's file, to make a thumbnail the cache does not have. */
        Path file(String path) throws IOException;

        /** The source's upright pixel size {width, height}, for an override's crop preview. */
        int[] orientedSize(String path) throws IOException, ImageException;

        /** The sources as files under the site's static folder, hashed through the stat index. */
        static Sources onDisk(SiteRoot root, StatIndex index) {
            return new Sources() {
                @Override
                public String sha256(String path) throws IOException {
                    return index.sha256(path, existingImage(root, path));
                }

                @Override
                public Path file(String path) throws IOException {
                    return existingImage(root, path);
                }

                @Override
                public int[] orientedSize(String path) throws IOException, ImageException {
                    dev.imagevision.crop.ImageHeader h = dev.imagevision.crop.ImageHeader.read(existingImage(root, path));
                    return new int[] {h.orientedWidth(), h.orientedHeight()};
                }
            };
        }
    }

    /** As {@link #write(Site, Manifest, byte[], Curation, StatIndex, Path, ImageCodec)}, reading the sources through {@code sources}. */
    public static Written write(Site site, Manifest manifest, byte[] manifestBytes, Curation curation, StatIndex index,
                                Path target, Sources sources, ImageCodec codec) throws IOException {
        Path reportDir = target.toAbsolutePath().normalize().getParent();
        // a warm run re-renders nothing: the page is a pure function of these inputs
        String inputs = inputsKey(site, manifestBytes, index, sources, target);
        // site-relative, so a copied or moved site (the page does not depend on the folder) stays warm
        String name = "report:" + siteRelative(site, target);
        if (index.outputUpToDate(name, target, inputs)) {
            return new Written(target, manifest.entries().size(), 0, 0, Files.size(target), false);
        }
        Rendered r = render(site, manifest, curation, sources, AuditPage.Mode.file(previewHref(site, reportDir)),
                path -> relativeLink(site.root(), reportDir, path), codec);
        byte[] bytes = r.html().getBytes(StandardCharsets.UTF_8);
        boolean changed = AtomicFiles.writeIfChanged(target, bytes);
        if (r.thumbnailFailures() == 0) index.recordOutput(name, target, inputs);
        index.save();
        return new Written(target, r.images(), r.thumbnailsMade(), r.thumbnailFailures(), bytes.length, changed);
    }

    /** Bump when the page's markup, style or script changes: it invalidates every recorded report. */
    static final String FORMAT = "audit-report/4";

    /**
     * Everything the page is made from: the manifest as written, the curation file, the cost ledger,
     * provenance and the content of every source (through the stat index, so nothing is re-hashed).
     */
    static String inputsKey(Site site, byte[] manifestBytes, StatIndex index, Sources sources, Path target)
            throws IOException {
        var md = dev.imagevision.cache.Hashing.sha256();
        md.update((FORMAT + "\n" + siteRelative(site, target) + "\n" + site.config().paths().preview() + "\n")
                .getBytes(StandardCharsets.UTF_8));
        md.update(manifestBytes);
        var paths = site.config().paths();
        for (String f : new String[] {paths.curation(), paths.ledger(), paths.provenance()}) {
            Path p = site.file(f);
            if (!Files.isRegularFile(p)) {
                md.update((f + ":none\n").getBytes(StandardCharsets.UTF_8));
            } else if (f.equals(paths.ledger()) || f.equals(paths.provenance())) {
                // by the content hash the stat index keeps (re-hashed when size or time changed), as sources are: a long
                // ledger history and a large provenance file are not read again on every warm run
                md.update((f + ":" + index.sha256("file:" + f, p) + "\n").getBytes(StandardCharsets.UTF_8));
            } else {
                md.update((f + ":" + Files.size(p) + "\n").getBytes(StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(p));
            }
        }
        for (var s : site.sources()) {
            String sha;
            try {
                sha = sources.sha256(s.path());
            } catch (IOException | RuntimeException e) {
                sha = "unreadable";
            }
            md.update((s.path() + "=" + sha + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    static String siteRelative(Site site, Path target) {
        Path t = target.toAbsolutePath().normalize();
        Path root = site.root().root();
        return t.startsWith(root) ? root.relativize(t).toString().replace('\\', '/') : t.toString();
    }

    /** A rendered page and what making it took. */
    public record Rendered(String html, int images, int thumbnailsMade, int thumbnailFailures) {}

    public static Rendered render(Site site, Manifest manifest, Curation curation, StatIndex index, AuditPage.Mode mode,
                                  Function<String, String> originalHref, ImageCodec codec) throws IOException {
        return render(site, manifest, curation, Sources.onDisk(site.root(), index), mode, originalHref, codec);
    }

    public static Rendered render(Site site, Manifest manifest, Curation curation, Sources sources, AuditPage.Mode mode,
                                  Function<String, String> originalHref, ImageCodec codec) throws IOException {
        Set<String> paths = new LinkedHashSet<>();
        site.sources().forEach(s -> paths.add(s.path()));
        paths.addAll(manifest.entries().keySet());

        Path cacheDir = site.file(site.config().paths().cache());
        Thumbnails thumbs = new Thumbnails(cacheDir, () -> codec, codec.libraryMajorVersion(), site.config().maxInputPixels());
        Map<String, AuditData.Thumbnail> made = new ConcurrentHashMap<>();
        Map<String, String> errors = new ConcurrentHashMap<>();
        AtomicInteger fresh = new AtomicInteger();
        forEachParallel(new ArrayList<>(paths), path -> {
            try {
                String sha = sources.sha256(path);
                var hit = thumbs.cached(sha);
                if (hit.isPresent()) {
                    made.put(path, hit.get());
                } else {
                    made.put(path, thumbs.get(sources.file(path), sha));
                    fresh.incrementAndGet();
                }
            } catch (ImageException | IOException | SiteRoot.PathEscapeException e) {
                errors.put(path, e.getMessage());
            } catch (RuntimeException e) {
                // one odd file never costs the editor the whole report
                errors.put(path, "cannot make a preview: " + e);
            }
        });

        Map<String, CurationEntry> rows = curation.byPath();
        Map<String, Map<String, CropWindow.Fraction>> previews = new TreeMap<>();
        for (Map.Entry<String, CurationEntry> row : rows.entrySet()) {
            ManifestEntry e = manifest.entries().get(row.getKey());
            if (!AuditData.overridePending(e, row.getValue())) continue;
            try {
                int[] size = sources.orientedSize(row.getKey());
                previews.put(row.getKey(), CropPreview.windows(size[0], size[1], AuditData.effectiveFocal(e, row.getValue()),
                        AuditData.effectiveBox(e, row.getValue()), site.config().variants()));
            } catch (ImageException | IOException | SiteRoot.PathEscapeException ignored) {
                // no preview: the card keeps the windows the manifest was cut with
            }
        }

        LedgerCosts.Read ledger = LedgerCosts.read(site.file(site.config().paths().ledger()));
        List<String> notes = new ArrayList<>();
        if (ledger.problem() != null) notes.add(ledger.problem());
        if (ledger.lastRun() == null && ledger.legacyRows() > 0) {
            notes.add("the cost ledger's " + ledger.legacyRows() + " older per-run row(s) name no images, so no run's "
                    + "spend is broken down from them");
        }
        if (!errors.isEmpty()) notes.add(errors.size() + " image(s) have no preview; their cards say why");
        // The page shows the last paid run in the ledger, not "the run writing it": the page must be a pure
        // function of its inputs (a warm run rewrites nothing), and a run that paid nothing would turn a
        // paid run's page into a $0 one. A run that paid has folded its calls before the report is written,
        // so then the last paid run is that run; `imagevision report` shows the same.
        AuditData data = AuditData.build(new AuditData.Inputs(manifest, curation, site.sources(), site.missions(), made,
                errors, previews, ledger.costs(), ledger.lastRun(), notes));
        String html = AuditPage.render(data, mode, originalHref);
        return new Rendered(html, data.run().images(), fresh.get(), errors.size());
    }

    /** The source file for a provenance path, inside the static folder, or an error saying why not. */
    static Path existingImage(SiteRoot root, String path) throws IOException {
        Path file = root.readableImage(path);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("image file is missing: " + root.root().relativize(file));
        }
        if (!Files.isRegularFile(file)) throw new IOException("not a regular file: " + root.root().relativize(file));
        return file;
    }

    /** A link from the report file to the original, relative so the page works wherever the site is. */
    static String relativeLink(SiteRoot root, Path reportDir, String path) {
        try {
            return relativeUrl(reportDir, root.resolveImage(path));
        } catch (SiteRoot.PathEscapeException e) {
            return null;
        }
    }

    /** A relative URL from a folder to a file or folder, percent-encoded per segment ("" for the folder itself). */
    public static String relativeUrl(Path fromDir, Path to) {
        String rel = fromDir.toAbsolutePath().normalize().relativize(to.toAbsolutePath().normalize()).toString().replace('\\', '/');
        if (rel.isEmpty()) return "";
        StringBuilder out = new StringBuilder();
        for (String part : rel.split("/")) {
            if (!out.isEmpty()) out.append('/');
            out.append(java.net.URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }

    /** The link from the report's folder to the preview page at its configured path. */
    static String previewHref(Site site, Path reportDir) {
        return relativeUrl(reportDir, site.file(site.config().paths().preview()));
    }

    /** Thumbnails are made one image per core; the codec itself runs single-threaded. */
    private static void forEachParallel(List<String> paths, java.util.function.Consumer<String> work) throws IOException {
        FanOut.forEach(paths, Runtime.getRuntime().availableProcessors(), work::accept);
    }
}
