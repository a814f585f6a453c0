package dev.imagevision.curation;

import dev.imagevision.site.ImagePath;
import dev.imagevision.site.Site;
import dev.imagevision.site.SourceImage;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Flag, unflag and override on the curation file: the one code path the {@code flag} command and
 * the review server share. Every change is a read-modify-write under a lock (the operating
 * system's, so two processes queue instead of losing a flag), written atomically and only when
 * the bytes change. Anything invalid is refused before the file is touched.
 */
public final class CurationStore {
    /** Longest reason kept: a flag is one sentence, and reasons go into the scoring prompt. */
    public static final int MAX_REASON = 500;
    static final DateTimeFormatter FLAGGED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path file;
    private final Path lockFile;
    private final Path staticDir;
    private final Set<String> sources;
    private final Clock clock;
    private final ReentrantLock local = new ReentrantLock();

    /**
     * @param file      the curation file
     * @param lockFile  where the lock lives (in the git-ignored cache, so no stray file lands in the site)
     * @param staticDir the site's static folder, to accept paths pasted as files on disk
     * @param sources   provenance paths of the source images: the only paths that can be flagged
     */
    public CurationStore(Path file, Path lockFile, Path staticDir, Set<String> sources, Clock clock) {
        this.file = file;
        this.lockFile = lockFile;
        this.staticDir = staticDir.toAbsolutePath().normalize();
        this.sources = Set.copyOf(sources);
        this.clock = clock;
    }

    public static CurationStore of(Site site, Clock clock) {
        var paths = site.config().paths();
        Set<String> sources = new TreeSet<>();
        for (SourceImage s : site.sources()) sources.add(s.path());
        return new CurationStore(site.file(paths.curation()), site.file(paths.cache()).resolve("curation.lock"),
                site.root().staticDir(), sources, clock);
    }

    public Path file() {
        return file;
    }

    /** What a flag did: the row written and the reason it replaced, if the image was flagged already. */
    public record Flagged(CurationEntry entry, String previousReason) {}

    public Curation read() {
        return CurationFile.read(file);
    }

    /** Flagged rows, newest first. */
    public List<CurationEntry> list() {
        return read().newestFirst();
    }

    /** Adds (or re-dates, with the new reason) the flag on a source image. */
    public Flagged flag(String rawPath, String rawReason) throws IOException {
        String path = knownSource(rawPath);
        String reason = reason(rawReason);
        String at = FLAGGED_AT.format(clock.instant());
        String[] previous = new String[1];
        Curation next = update(c -> {
            previous[0] = c.entry(path).filter(CurationEntry::flagged).map(CurationEntry::reason).orElse(null);
            return c.flag(path, reason, at);
        });
        return new Flagged(next.entry(path).orElseThrow(), previous[0]);
    }

    /** Lifts a flag; the image's cached model score comes back on the next run. Returns the row that was lifted. */
    public CurationEntry unflag(String rawPath) throws IOException {
        String path = normalise(rawPath);
        CurationEntry[] lifted = new CurationEntry[1];
        update(c -> {
            lifted[0] = c.entry(path).filter(CurationEntry::flagged).orElseThrow(() -> new CurationException(
                    path + " is not flagged in " + file + "; nothing to unflag (imagevision flag --list shows the flags)"));
            return c.unflag(path);
        });
        return lifted[0];
    }

    /**
     * Sets the editor's overrides for a source image (null clears one); the next run re-crops from
     * them without calling a provider. Coordinates are clamped into the image.
     */
    public CurationEntry override(String rawPath, FocalPoint focalPoint, SubjectBox subjectBox, String category)
            throws IOException {
        String path = knownSource(rawPath);
        String cat = category == null ? null : Category.parse(category).map(Category::id).orElseThrow(() ->
                new CurationException("category \"" + category + "\" is not one of spacecraft, surface, launch, "
                        + "orbital, hardware, people, diagram, render, other"));
        FocalPoint fp = focalPoint == null ? null : FocalPoint.of(focalPoint.x(), focalPoint.y());
        SubjectBox box = subjectBox == null ? null : SubjectBox.of(subjectBox.x(), subjectBox.y(), subjectBox.w(), subjectBox.h());
        Curation next = update(c -> c.change(path, e -> e.withOverrides(fp, box, cat)));
        return next.entry(path).orElse(CurationEntry.of(path));
    }

    /**
     * Read, change, write, under the lock. The change may throw to refuse; the file is then left as
     * it was. Returns the curation as written.
     */
    public Curation update(UnaryOperator<Curation> change) throws IOException {
        local.lock(); // threads of this process sharing this store
        try {
            Files.createDirectories(lockFile.toAbsolutePath().getParent());
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = acquire(ch)) {
                Curation next = change.apply(read());
                CurationFile.write(file, next);
                return next;
            }
        } finally {
            local.unlock();
        }
    }

    /** Waits for the lock. Another store object in this JVM makes the OS lock throw instead of wait, so we poll then. */
    private static FileLock acquire(FileChannel ch) throws IOException {
        while (true) {
            try {
                return ch.lock();
            } catch (OverlappingFileLockException e) {
                LockSupport.parkNanos(1_000_000L);
                if (Thread.interrupted()) throw new InterruptedIOException("interrupted while waiting for the curation lock");
            }
        }
    }

    /**
     * The manifest form of a path as people write it: {@code static/images/x.jpg},
     * {@code images/x.jpg}, a file under the site's static folder → {@code /images/x.jpg}.
     */
    public String normalise(String raw) {
        if (raw == null || raw.isBlank()) throw new CurationException("the image path is empty");
        String p = raw.strip();
        try {
            Path asFile = Path.of(p).toAbsolutePath().normalize();
            if (Path.of(p).isAbsolute() && asFile.startsWith(staticDir) && !asFile.equals(staticDir)) {
                p = "/" + staticDir.relativize(asFile).toString().replace('\\', '/');
            }
        } catch (InvalidPathException ignored) {
            // not a file path; normalised as a provenance path below
        }
        String name = staticDir.getFileName() == null ? "static" : staticDir.getFileName().toString();
        if (p.startsWith(name + "/")) p = p.substring(name.length());
        else if (p.startsWith("/" + name + "/")) p = p.substring(name.length() + 1);
        return ImagePath.normalise(p);
    }

    private String knownSource(String raw) {
        String path = normalise(raw);
        if (sources.contains(path)) return path;
        String hint = ImagePath.of(path).notSourceReason().map(w -> " (it is " + w + ")").orElse(sourceOf(path));
        throw new CurationException(path + " is not a source image in the site's provenance" + hint
                + "; check the path (from the audit report or image-provenance.json)");
    }

    /** For a variant path ({@code <stem>.<id>.jpg} or {@code <file>.<id>.jpg}), the source it was cut from, as a hint. */
    private String sourceOf(String variant) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(.*)\\.[^./]+\\.jpg").matcher(variant);
        if (!m.matches()) return "";
        String stem = m.group(1);
        return sources.stream().filter(s -> s.equals(stem) || ImagePath.of(s).base().equals(stem)).findFirst()
                .map(s -> " (it is a variant; flag its source " + s + ")").orElse("");
    }

    /** One line, trimmed, not empty, not too long, no control characters. */
    static String reason(String raw) {
        String r = raw == null ? "" : raw.strip().replaceAll("\\s+", " ");
        if (r.isEmpty()) throw new CurationException("the reason is empty: say in a sentence what is wrong with the image");
        if (r.length() > MAX_REASON) {
            throw new CurationException("the reason is " + r.length() + " characters; keep it under " + MAX_REASON
                    + " (one sentence — it goes into the scoring prompt)");
        }
        if (r.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
            throw new CurationException("the reason contains control characters; type it as plain text");
        }
        return r;
    }
}
