package dev.imagevision.curation;

import dev.imagevision.cache.AtomicFiles;
import dev.imagevision.site.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes the curation file; an absent file is an empty deny-list. */
public final class CurationFile {
    private CurationFile() {}

    /** The curation at {@code file}; malformed JSON is an error naming the line and column. */
    public static Curation read(Path file) {
        if (!Files.exists(file)) return Curation.empty();
        return Json.read(file, Json.LENIENT, Curation.class);
    }

    /** The file's bytes: the site's key order ({@code path, reason, flaggedAt}), two-space indent, LF. */
    public static byte[] bytes(Curation curation) {
        return Json.stableBytes(curation);
    }

    /** Writes atomically, and only when the bytes differ. Returns whether the file changed. */
    public static boolean write(Path file, Curation curation) throws IOException {
        return AtomicFiles.writeIfChanged(file, bytes(curation));
    }
}
