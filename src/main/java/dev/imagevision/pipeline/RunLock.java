package dev.imagevision.pipeline;

import dev.imagevision.cache.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer per site at a time. The lock is the operating system's (released when the process
 * dies, even by SIGKILL), so a lock left by a killed run is never stale; the file only records
 * who holds it for the message.
 *
 * <p>A site this process may not write (a read-only checkout or mount) gets a reader's lock
 * instead ({@link #acquireOrRead}): a run with nothing to write still succeeds there, and one that
 * has something to write fails at that write, naming the file, with nothing changed.
 */
public final class RunLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;
    private final Path inProgress;

    private RunLock(FileChannel channel, FileLock lock, Path inProgress) {
        this.channel = channel;
        this.lock = lock;
        this.inProgress = inProgress;
    }

    /** False for a reader's lock: this process cannot write the site, so it sweeps and marks nothing. */
    public boolean writable() {
        return inProgress != null;
    }

    /**
     * A marker lives in the cache while a run works; finding it on start means the last run was
     * killed, so the temporary files it may have left are removed (they are ours: we hold the lock).
     */
    public void sweepAfterUncleanExit(Path... dirs) throws IOException {
        if (!writable()) return;
        if (Files.exists(inProgress)) {
            // what the killed run wrote is no older than its own marker (a second of slack for coarse clocks)
            var since = java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(inProgress).toMillis() - 1000);
            for (Path d : dirs) AtomicFiles.sweep(d, since);
        }
        Files.writeString(inProgress, "pid " + ProcessHandle.current().pid());
    }

    /** The run finished: the next one needs no sweep. */
    public void markClean() throws IOException {
        if (writable()) Files.deleteIfExists(inProgress);
    }

    /**
     * The writer's lock when this process may write the site; when the file system refuses (read-only,
     * no permission to create the cache folder or the lock file), a reader's lock: shared on the lock
     * file when there is one, so no writer works beside this run (and none can start while it reads),
     * else none, for then nobody has ever written a lock here.
     */
    public static RunLock acquireOrRead(Path cacheDir) throws IOException {
        try {
            return acquire(cacheDir);
        } catch (IOException e) {
            if (!AtomicFiles.refused(e, cacheDir.resolve("run.lock"))) throw e;
        }
        Path file = cacheDir.resolve("run.lock");
        if (!Files.isRegularFile(file)) return new RunLock(null, null, null);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        FileLock shared;
        try {
            shared = ch.tryLock(0, Long.MAX_VALUE, true);
        } catch (OverlappingFileLockException e) {
            shared = null;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (shared == null) throw held(ch, file);
        return new RunLock(ch, shared, null);
    }

    /** Takes the lock or fails at once naming the holder. */
    public static RunLock acquire(Path cacheDir) throws IOException {
        Files.createDirectories(cacheDir);
        Path file = cacheDir.resolve("run.lock");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) throw held(ch, file);
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
        return new RunLock(ch, lock, cacheDir.resolve("run-in-progress"));
    }

    private static LockedException held(FileChannel ch, Path file) throws IOException {
        String holder = "";
        try {
            holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
        } catch (IOException ignored) {
            // the message is still clear without the holder
        }
        ch.close();
        // the holder writes its pid right after locking: a run that loses the race by microseconds may read nothing
        return new LockedException("another imagevision run is working on this site (" + (holder.isEmpty()
                ? "holder unknown" : holder) + " holds " + file + "); wait for it to finish, then run again. "
                + "The lock is the operating system's: it is released when that process ends, even when it is killed");
    }

    @Override
    public void close() throws IOException {
        if (channel == null) return;
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    /** The site is locked by another run. */
    public static final class LockedException extends RuntimeException {
        public LockedException(String message) {
            super(message);
        }
    }
}
