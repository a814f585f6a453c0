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

    /** The first of two steps: its result goes on to the second step, or nowhere when it is null. */
    @FunctionalInterface
    public interface Step<T, R> {
        R run(T item) throws Exception;
    }

    /**
     * Runs {@code first} for every item, {@code firstThreads} at a time, and hands each result to
     * {@code second} as soon as it is there, {@code secondThreads} at a time: a slow first step (a
     * provider call) and a busy second one (cutting images) overlap instead of following each other.
     * A failure anywhere stops both the same way {@link #forEach} does.
     */
    public static <T, R> void twoSteps(List<T> items, int firstThreads, Step<T, R> first, int secondThreads,
                                       Task<R> second) throws IOException {
        if (items.isEmpty()) return;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService a = Executors.newFixedThreadPool(Math.max(1, Math.min(items.size(), firstThreads)));
        ExecutorService b = Executors.newFixedThreadPool(Math.max(1, Math.min(items.size(), secondThreads)));
        try {
            for (T item : items) {
                a.execute(() -> {
                    if (failure.get() != null) return;
                    try {
                        R r = first.run(item);
                        if (r == null) return;
                        b.execute(() -> {
                            if (failure.get() != null) return;
                            try {
                                second.run(r);
                            } catch (Throwable t) {
                                failure.compareAndSet(null, t);
                            }
                        });
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                });
            }
            a.shutdown();
            awaitAll(a);
            b.shutdown(); // every hand-over came from a finished first step
            awaitAll(b);
        } catch (InterruptedException e) {
            a.shutdownNow();
            b.shutdownNow();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        rethrow(failure.get());
    }

    private static void awaitAll(ExecutorService pool) throws InterruptedException {
        while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
            // tasks bound their own time (HTTP timeouts, decode budgets); keep waiting for them
        }
    }

    private static void rethrow(Throwable t) throws IOException {
        if (t == null) return;
        if (t instanceof IOException io) throw io;
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error err) throw err;
        throw new IllegalStateException(t);
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
            awaitAll(pool);
        } catch (InterruptedException e) {
            // the caller is being stopped: stop the workers too, and say so
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        rethrow(failure.get());
    }
}
