package dev.imagevision.crop;

import java.util.concurrent.Semaphore;

/**
 * Bounds the memory that decoded images take at once, whatever their sizes: each decode first
 * takes its estimated bytes from a fixed budget and gives them back when its variants are written.
 * Small images run side by side on every core; a very large one waits until it can run alone. The
 * semaphore is fair, so a large image is never starved by a stream of small ones.
 */
public final class DecodeBudget {
    /** Default: with the JVM and the native libraries, a run stays well under 1 GiB resident. */
    public static final long DEFAULT_BYTES = 384L << 20;
    private static final int UNIT = 1 << 16; // permits count 64 KiB, so any budget fits an int

    private final Semaphore permits;
    private final int total;

    public DecodeBudget(long bytes) {
        if (bytes < UNIT) throw new IllegalArgumentException("decode budget must be at least 64 KiB");
        this.total = (int) Math.min(Integer.MAX_VALUE, bytes / UNIT);
        this.permits = new Semaphore(total, true);
    }

    /** Work that holds decoded pixels. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws ImageException;
    }

    /** Runs {@code work} once {@code bytes} are free; more than the whole budget means "alone". */
    public <T> T run(long bytes, Work<T> work) throws ImageException {
        int need = (int) Math.max(1, Math.min(total, (bytes + UNIT - 1) / UNIT));
        try {
            permits.acquire(need);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("interrupted while waiting for memory to decode", e);
        }
        try {
            return work.run();
        } finally {
            permits.release(need);
        }
    }

    /** Bytes free right now (for tests and the benchmark's report). */
    public long available() {
        return (long) permits.availablePermits() * UNIT;
    }
}
