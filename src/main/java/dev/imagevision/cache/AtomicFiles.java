package dev.imagevision.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * Every file this tool writes goes through here: written in full to a temporary file in the same
 * folder, forced to disk, then renamed over the target. A reader sees the old file or the new one,
 * never half of one; a crash leaves at most a stray {@code .tmp} file.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    public static void write(Path target, byte[] data) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // a short name of its own, whatever the target's: a legal 250-byte file name leaves no room for a suffix
        Path tmp = Files.createTempFile(dir, TEMPORARY_PREFIX, ".tmp");
        try {
            // a temporary file is private (0600); what we publish (variants, manifest) must stay readable by the web server
            permissions(tmp, target);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            } catch (IOException e) {
                // "No space left on device" alone names no file; the target is left as it was
                throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static final String TEMPORARY_PREFIX = ".imagevision-";
    /**
     * Names {@link #write} gives its temporary files, {@code .imagevision-<random digits>.tmp}: distinct
     * enough that the sweep after a killed run never removes a file this tool did not write.
     */
    static final java.util.regex.Pattern TEMPORARY = java.util.regex.Pattern.compile("\\.imagevision-\\d+\\.tmp");

    /**
     * Deletes temporary files a killed run left under {@code dir}. Only call it while holding the
     * site's run lock: then no other writer can own them. Returns how many were removed.
     */
    public static int sweep(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        int[] removed = {0};
        try (var files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (TEMPORARY.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                    removed[0]++;
                }
            }
        }
        return removed[0];
    }

    /** The target's own permissions when it exists, else rw-r--r--; nothing on file systems without POSIX permissions. */
    private static void permissions(Path tmp, Path target) throws IOException {
        if (!Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) return;
        Set<PosixFilePermission> perms = Files.exists(target)
                ? Files.getPosixFilePermissions(target) : PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(tmp, perms);
    }

    /** Writes only when the content differs, so a warm run rewrites nothing. Returns whether it wrote. */
    public static boolean writeIfChanged(Path target, byte[] data) throws IOException {
        if (Files.isRegularFile(target) && Files.size(target) == data.length
                && Arrays.equals(Files.readAllBytes(target), data)) {
            return false;
        }
        write(target, data);
        return true;
    }
}
