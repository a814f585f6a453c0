package dev.imagevision.report;

import dev.imagevision.cache.StatIndex;
import dev.imagevision.crop.ImageCodec;
import dev.imagevision.curation.CurationStore;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteRoot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The review page's HTML, made once for the files it is made from and shared by every request until one of
 * them changes.
 *
 * <p>The server holds thousands of connections so that stalled ones cannot shut the editor out; a page made
 * per request would let that many clients that ask and never read hold a copy each (megabytes for a large
 * site) and keep the processor busy rendering. So one page is made at a time, every request that arrived
 * before it began shares it, and it is served again for as long as the files it was read from keep their
 * size, modification time and identity (every write of this tool is an atomic rename, so it changes all
 * three; and this server's own writes say so at once, {@link #changed}, in case two come within one tick
 * of the file clock). A page with an image that had no preview is not served again: what failed may come back.
 */
final class ReviewPage {
    private final Site site;
    private final CurationStore store;
    private final AuditPage.Mode mode;
    private final Function<String, String> originalHref;
    private final ImageCodec codec;
    private final ReentrantLock making = new ReentrantLock(true);
    private final AtomicLong begun = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private volatile Made last;

    ReviewPage(Site site, CurationStore store, AuditPage.Mode mode, Function<String, String> originalHref, ImageCodec codec) {
        this.site = site;
        this.store = store;
        this.mode = mode;
        this.originalHref = originalHref;
        this.codec = codec;
    }

    /** What a file was when it was read: missing or unreadable is a state of its own. */
    record Stamp(Path file, long size, long modifiedNanos, Object identity) {
        static Stamp of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new Stamp(file, a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.fileKey());
            } catch (IOException e) {
                return new Stamp(file, -1, 0, e.getClass().getName());
            }
        }

        boolean unchanged() {
            return equals(of(file));
        }
    }

    /**
     * A page as made: which one it was (in the order they began), its bytes, how many writes this server had made
     * before it began, and the files it was read from (null: not to be served again).
     */
    private record Made(long number, byte[] html, long writesBefore, List<Stamp> from) {
        boolean current(long writesNow) {
            if (from == null || writesNow != writesBefore) return false;
            for (Stamp s : from) {
                if (!s.unchanged()) return false;
            }
            return true;
        }
    }

    /** The page as the site's files are now (never older than this call). */
    byte[] html() throws IOException {
        long before = begun.get();
        Made seen = last;
        if (seen != null && seen.current(writes.get())) return seen.html();
        making.lock();
        try {
            seen = last;
            // made while this request waited, from files read after it arrived
            if (seen != null && seen.number() > before) return seen.html();
            Made made = make(begun.incrementAndGet());
            last = made;
            return made.html();
        } finally {
            making.unlock();
        }
    }

    /** The server changed the curation file: the next request gets a page made after this. */
    void changed() {
        writes.incrementAndGet();
    }

    /** Renders the page, stamping each file before it is read, so a write during the render only makes it stale. */
    private Made make(long number) throws IOException {
        long writesBefore = writes.get();
        var paths = site.config().paths();
        List<Stamp> from = new ArrayList<>();
        Path manifestFile = site.file(paths.manifest());
        from.add(Stamp.of(manifestFile));
        Manifest manifest = ManifestFile.read(manifestFile);
        Path indexFile = site.file(paths.cache()).resolve("stat-index.json");
        for (Path f : List.of(store.file(), site.file(paths.ledger()), site.file(paths.provenance()), indexFile)) {
            from.add(Stamp.of(f));
        }
        boolean stampedAll = true;
        Set<String> images = new TreeSet<>(manifest.entries().keySet());
        site.sources().forEach(s -> images.add(s.path()));
        for (String image : images) {
            try {
                from.add(Stamp.of(site.root().resolveImage(image)));
            } catch (SiteRoot.PathEscapeException e) {
                stampedAll = false; // its card shows the refusal; the render says it failed
            }
        }
        AuditReport.Rendered r = AuditReport.render(site, manifest, store.read(), StatIndex.load(indexFile), mode,
                originalHref, codec);
        boolean reusable = stampedAll && r.thumbnailFailures() == 0;
        return new Made(number, r.html().getBytes(StandardCharsets.UTF_8), writesBefore, reusable ? List.copyOf(from) : null);
    }
}
