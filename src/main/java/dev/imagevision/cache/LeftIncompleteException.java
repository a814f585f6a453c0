package dev.imagevision.cache;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A write failed part way through a file that is written in place, and what it changed could not be
 * put back: unlike every other failed write, the file is not as it was. The message names the file
 * and how it will be put back, so the run's last line can tell the truth about it.
 */
public final class LeftIncompleteException extends IOException {
    private final transient Path file;

    public LeftIncompleteException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file that is not complete now. */
    public Path file() {
        return file;
    }
}
