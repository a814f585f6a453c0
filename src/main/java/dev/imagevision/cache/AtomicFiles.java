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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every file this tool writes goes through here: written in full to a temporary file in the same
 * folder, forced to disk, then renamed over the target. A reader sees the old file or the new one,
 * never half of one; a crash leaves at most a stray {@code .tmp} file, and an orderly exit (SIGTERM,
 * SIGINT, {@code System.exit}) while a write is under way not even that.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Temporary files being written now. The process may exit while a worker writes (a stopped run past
     * its grace period); a shutdown hook removes what is left, so only SIGKILL leaves one for the sweep.
     * Process-wide by nature, hence static.
     */
    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : IN_FLIGHT) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // exiting anyway; the next run's sweep removes it
                }
            }
        }, "imagevision-temporary-files"));
    }

    public static void write(Path target, byte[] data) throws IOException {
        replace(target, ch -> {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) ch.write(buf);
        });
    }

    /**
     * A copy of {@code source} at {@code target}, made as {@link #write} makes a file: whole, or (disk
     * full, a file size limit) not at all, an earlier copy at {@code target} left as it was.
     */
    public static void copy(Path source, Path target) throws IOException {
        replace(target, ch -> {
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
                long size = in.size(), at = 0;
                while (at < size) {
                    long n = in.transferTo(at, size - at, ch);
                    if (n <= 0) throw new IOException(source + " changed while it was copied");
                    at += n;
                }
            }
        });
    }

    /** What goes into the temporary file. */
    @FunctionalInterface
    private interface Content {
        void writeTo(FileChannel ch) throws IOException;
    }

    private static void replace(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // a short name of its own, whatever the target's: a legal 250-byte file name leaves no room for a suffix
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, TEMPORARY_PREFIX, ".tmp");
        } catch (java.nio.file.FileSystemException e) {
            // the temporary file's random name means nothing to the user: name the file being written
            throw e instanceof java.nio.file.AccessDeniedException
                    ? new java.nio.file.AccessDeniedException(target.toString(), null, e.getReason())
                    : new java.nio.file.FileSystemException(target.toString(), null, e.getReason());
        }
        IN_FLIGHT.add(tmp);
        try {
            // a temporary file is private (0600); what we publish (variants, manifest) must stay readable by the web server
            permissions(tmp, target);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                content.writeTo(ch);
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
            try {
                Files.deleteIfExists(tmp);
            } finally {
                IN_FLIGHT.remove(tmp);
            }
        }
    }

    /**
     * Whether a failed write was refused (a read-only file system or mount, no permission) rather than
     * failing on the way (disk full, an I/O error). Decided by asking the file system whether the
     * target's folder (or the nearest one that exists) is writable, not by the error's wording.
     */
    public static boolean refused(IOException e, Path target) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.file.AccessDeniedException) return true;
        }
        Path dir = target.toAbsolutePath().getParent();
        while (dir != null && !Files.exists(dir)) dir = dir.getParent();
        return dir != null && !Files.isWritable(dir);
    }

    private static final String TEMPORARY_PREFIX = ".imagevision-";
    /**
     * Names {@link #write} gives its temporary files: {@code .imagevision-<random unsigned long>.tmp}
     * (12 digits or more but for one name in a hundred million).
     */
    static final java.util.regex.Pattern TEMPORARY = java.util.regex.Pattern.compile("\\.imagevision-\\d{12,20}\\.tmp");

    /**
     * Deletes the temporary files a killed run left under {@code dir}: named as {@link #write} names
     * them and made since that run started ({@code since}, when it marked itself in progress), so a
     * file someone else named alike, or left there before, is never touched. Only call it while
     * holding the site's run lock: then no other writer can own them. Returns how many were removed.
     */
    public static int sweep(Path dir, java.nio.file.attribute.FileTime since) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        int[] removed = {0};
        try (var files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!TEMPORARY.matcher(p.getFileName().toString()).matches() || !Files.isRegularFile(p)) continue;
                if (Files.getLastModifiedTime(p).compareTo(since) < 0) continue;
                Files.deleteIfExists(p);
                removed[0]++;
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
