package dev.imagevision.site;

import java.nio.file.Path;

/**
 * A site file (provenance, missions, config, manifest, curation) that cannot be used as it is.
 * The message names the file and, for JSON syntax or type errors, the line and column.
 */
public final class SiteFileException extends RuntimeException {
    private final Path file;

    public SiteFileException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    public SiteFileException(Path file, String message) {
        this(file, message, null);
    }

    public Path file() {
        return file;
    }
}
