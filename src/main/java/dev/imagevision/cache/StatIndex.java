package dev.imagevision.cache;

import dev.imagevision.site.Json;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Size and modification time of every file the tool has hashed or written, so that a warm run
 * neither re-hashes unchanged sources nor rewrites unchanged variants (nor re-reads a source's
 * header to learn its pixel size). Only an optimisation: if it is lost or unreadable, everything
 * is re-hashed and compared, and nothing is wrong.
 */
public final class StatIndex {

    /** A hashed source: its stat, content hash and, once a crop stage has read it, its upright pixel size (0 = unknown). */
    public record SourceStat(@JsonProperty("size") long size, @JsonProperty("mtime_ms") long mtimeMs,
                             @JsonProperty("sha256") String sha256, @JsonProperty("width") int width,
                             @JsonProperty("height") int height) {}

    /** A source's upright (EXIF-oriented) size in pixels. */
    public record Pixels(int width, int height) {}

    /** A written output: the cache key it was made from and its stat when written. */
    public record OutputStat(@JsonProperty("key") String key, @JsonProperty("size") long size,
                             @JsonProperty("mtime_ms") long mtimeMs) {}

    record FileFormat(@JsonProperty("sources") Map<String, SourceStat> sources,
                      @JsonProperty("outputs") Map<String, OutputStat> outputs) {}

    private final Path file;
    private final Map<String, SourceStat> sources = new ConcurrentHashMap<>();
    private final Map<String, OutputStat> outputs = new ConcurrentHashMap<>();
    private volatile boolean dirty;

    private StatIndex(Path file) {
        this.file = file;
    }

    public static StatIndex load(Path file) {
        StatIndex index = new StatIndex(file);
        if (Files.isRegularFile(file)) {
            try {
                FileFormat f = Json.COMPACT.readValue(file.toFile(), new TypeReference<FileFormat>() {});
                if (f.sources() != null) index.sources.putAll(f.sources());
                if (f.outputs() != null) index.outputs.putAll(f.outputs());
            } catch (IOException | RuntimeException e) {
                index.dirty = true; // unreadable index: start over, it will be rewritten
            }
        }
        return index;
    }

    /** SHA-256 of a source, re-hashed only when its size or modification time changed. */
    public String sha256(String name, Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        long mtime = a.lastModifiedTime().toMillis();
        SourceStat known = sources.get(name);
        if (known != null && known.size() == a.size() && known.mtimeMs() == mtime && known.sha256() != null) {
            return known.sha256();
        }
        String sha = Hashing.file(file);
        sources.put(name, new SourceStat(a.size(), mtime, sha, 0, 0));
        dirty = true;
        return sha;
    }

    /**
     * The upright pixel size recorded for a source, when known. It belongs to the stat the last
     * {@link #sha256} call checked, so it is current for a source hashed (or found unchanged) this run.
     */
    public java.util.Optional<Pixels> pixels(String name) {
        SourceStat s = sources.get(name);
        return s == null || s.width() <= 0 || s.height() <= 0 ? java.util.Optional.empty()
                : java.util.Optional.of(new Pixels(s.width(), s.height()));
    }

    /** Records a source's upright pixel size, read from its header (the source must have been hashed). */
    public void recordPixels(String name, int width, int height) {
        SourceStat before = sources.get(name);
        if (before == null || (before.width() == width && before.height() == height)) return;
        sources.put(name, new SourceStat(before.size(), before.mtimeMs(), before.sha256(), width, height));
        dirty = true;
    }

    /** True when the output exists, was made from this key, and has not been touched since. */
    public boolean outputUpToDate(String name, Path file, String key) {
        OutputStat known = outputs.get(name);
        if (known == null || !known.key().equals(key)) return false;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.size() == known.size() && a.lastModifiedTime().toMillis() == known.mtimeMs();
        } catch (IOException e) {
            return false;
        }
    }

    /** The key this tool wrote the output at {@code name} with, when the file has not been touched since. */
    public java.util.Optional<String> wrote(String name, BasicFileAttributes a) {
        OutputStat known = outputs.get(name);
        boolean same = known != null && a.size() == known.size() && a.lastModifiedTime().toMillis() == known.mtimeMs();
        return same ? java.util.Optional.of(known.key()) : java.util.Optional.empty();
    }

    /** True when this tool recorded writing an output at {@code name}, whatever is there now. */
    public boolean recorded(String name) {
        return outputs.containsKey(name);
    }

    public void recordOutput(String name, Path file, String key) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        OutputStat stat = new OutputStat(key, a.size(), a.lastModifiedTime().toMillis());
        if (!stat.equals(outputs.put(name, stat))) dirty = true;
    }

    /**
     * Writes the index if anything changed. On a site this process may not write (a read-only checkout)
     * the index is not kept, and that is no error: it only spares the next run some hashing.
     */
    public void save() throws IOException {
        if (!dirty) return;
        byte[] data = Json.COMPACT.writeValueAsBytes(new FileFormat(new TreeMap<>(sources), new TreeMap<>(outputs)));
        try {
            AtomicFiles.write(file, data);
        } catch (IOException e) {
            if (!AtomicFiles.refused(e, file)) throw e;
        }
        dirty = false;
    }
}
