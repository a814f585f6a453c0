package dev.imagevision.cache;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Work that writes files, spread over a few threads. When one task fails, no further task starts,
 * and the call returns only once every task already running has ended on its own: a running task
 * is not interrupted (a paid provider call completes and is cached; an atomic write finishes or
 * removes its temporary file). Only then does the first failure reach the caller, who may exit the
 * process on it; nothing is left half-done behind it.
 */
public final class FanOut {
    private FanOut() {}

    /** One piece of work; any exception it throws stops the fan-out. */
    @FunctionalInterface
    public interface Task<T> {
        void run(T item) throws Exception;
    }

    /**
     * Runs {@code task} for every item, {@code threads} at a time. Rethrows the first failure: an
     * {@link IOException}, unchecked exception or error as it was thrown, anything else wrapped.
     */
    public static <T> void forEach(List<T> items, int threads, Task<T> task) throws IOException {
        if (items.isEmpty()) return;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(items.size(), threads)));
        try {
            for (T item : items) {
                pool.execute(() -> {
                    if (failure.get() != null) return;
                    try {
                        task.run(item);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                });
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                // tasks bound their own time (HTTP timeouts, decode budgets); keep waiting for them
            }
        } catch (InterruptedException e) {
            // the caller is being stopped: stop the workers too, and say so
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        Throwable t = failure.get();
        if (t == null) return;
        if (t instanceof IOException io) throw io;
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error err) throw err;
        throw new IllegalStateException(t);
    }
}
