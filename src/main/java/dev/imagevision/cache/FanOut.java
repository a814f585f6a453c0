package dev.imagevision.cache;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Work that writes files, spread over a few threads. When one task fails, no further task starts,
 * and the call returns only once every task already running has ended on its own: a running task
 * is not interrupted (a paid provider call completes and is cached; an atomic write finishes or
 * removes its temporary file). Only then does the first failure reach the caller, who may exit the
 * process on it; nothing is left half-done behind it.
 *
 * <p>Interrupting the calling thread (how a SIGTERM or SIGINT reaches a run) stops the fan-out the
 * same way: no further task starts, the running ones end on their own, then the call throws
 * {@link InterruptedIOException}.
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

    /** What the workers of one fan-out share: the first failure, and whether the caller is being stopped. */
    private static final class Stop {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicBoolean stopping = new AtomicBoolean();

        boolean set() {
            return failure.get() != null || stopping.get();
        }

        /** Runs one task unless the fan-out is stopping; its failure stops the rest. */
        void attempt(Task<Void> t) {
            if (set()) return;
            try {
                t.run(null);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }

        /** Waits for every started task; an interrupt only stops new ones from starting. */
        void awaitAll(ExecutorService pool) {
            pool.shutdown();
            while (true) {
                try {
                    // tasks bound their own time (HTTP timeouts, decode budgets); keep waiting for them
                    if (pool.awaitTermination(1, TimeUnit.MINUTES)) return;
                } catch (InterruptedException e) {
                    stopping.set(true); // the caller is being stopped: nothing new starts, what runs finishes
                }
            }
        }

        void rethrow() throws IOException {
            if (stopping.get()) throw new InterruptedIOException("interrupted: the work in flight finished, the rest was not started");
            Throwable t = failure.get();
            if (t == null) return;
            if (t instanceof IOException io) throw io;
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error err) throw err;
            throw new IllegalStateException(t);
        }
    }

    /**
     * Runs {@code task} for every item, {@code threads} at a time. Rethrows the first failure: an
     * {@link IOException}, unchecked exception or error as it was thrown, anything else wrapped.
     */
    public static <T> void forEach(List<T> items, int threads, Task<T> task) throws IOException {
        if (items.isEmpty()) return;
        // the interrupt is answered by this exception; the flag is not kept, so the caller's clean-up can still write
        if (Thread.interrupted()) throw new InterruptedIOException("interrupted before the work started");
        Stop stop = new Stop();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(items.size(), threads)));
        for (T item : items) pool.execute(() -> stop.attempt(x -> task.run(item)));
        stop.awaitAll(pool);
        stop.rethrow();
    }

    /**
     * Runs {@code first} for every item, {@code firstThreads} at a time, and hands each result to
     * {@code second} as soon as it is there, {@code secondThreads} at a time: a slow first step (a
     * provider call) and a busy second one (cutting images) overlap instead of following each other.
     * A failure or an interrupt stops both the same way {@link #forEach} does.
     */
    public static <T, R> void twoSteps(List<T> items, int firstThreads, Step<T, R> first, int secondThreads,
                                       Task<R> second) throws IOException {
        if (items.isEmpty()) return;
        if (Thread.interrupted()) throw new InterruptedIOException("interrupted before the work started");
        Stop stop = new Stop();
        ExecutorService a = Executors.newFixedThreadPool(Math.max(1, Math.min(items.size(), firstThreads)));
        ExecutorService b = Executors.newFixedThreadPool(Math.max(1, Math.min(items.size(), secondThreads)));
        for (T item : items) {
            a.execute(() -> stop.attempt(x -> {
                R r = first.run(item);
                if (r != null) b.execute(() -> stop.attempt(y -> second.run(r)));
            }));
        }
        stop.awaitAll(a);
        stop.awaitAll(b); // every hand-over came from a finished first step
        stop.rethrow();
    }
}
