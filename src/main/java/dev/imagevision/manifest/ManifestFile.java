package dev.imagevision.manifest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagevision.cache.AtomicFiles;
import dev.imagevision.site.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the manifest leniently (the site's older files parse) and writes it byte-stably: keys
 * sorted, two-space indent, LF, numbers in plain decimal, trailing newline.
 */
public final class ManifestFile {
    private ManifestFile() {}

    /** The mapper for every file whose bytes must be stable (manifest, curation, ledger). */
    public static final ObjectMapper STABLE = Json.STABLE;

    /** The manifest at {@code file}, or an empty one when there is none. Malformed → error naming line and column. */
    public static Manifest read(Path file) {
        if (!Files.exists(file)) return new Manifest(Manifest.VERSION, null, null, null, null, new TreeMap<>());
        Manifest m = Json.read(file, Json.LENIENT, Manifest.class);
        Map<String, ManifestEntry> entries = m.entries() == null ? new TreeMap<>() : new TreeMap<>(m.entries());
        entries.values().removeIf(e -> e == null);
        return new Manifest(m.version(), m.generatedAt(), m.visionProvider(), m.visionModel(), m.promptVersion(), entries);
    }

    public static byte[] bytes(Object value) {
        return Json.stableBytes(value);
    }

    /** Writes atomically, and only when the bytes differ. Returns whether the file changed. */
    public static boolean write(Path file, Manifest manifest) throws IOException {
        return write(file, bytes(manifest));
    }

    /** Writes a manifest's {@link #bytes} atomically, and only when they differ from the file's. */
    public static boolean write(Path file, byte[] manifestBytes) throws IOException {
        return AtomicFiles.writeIfChanged(file, manifestBytes);
    }
}
