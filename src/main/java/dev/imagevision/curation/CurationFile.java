package dev.imagevision.curation;

import dev.imagevision.site.Json;

import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the curation file; an absent file is an empty deny-list. */
public final class CurationFile {
    private CurationFile() {}

    public static Curation read(Path file) {
        if (!Files.exists(file)) return Curation.empty();
        return Json.read(file, Json.LENIENT, Curation.class);
    }
}
