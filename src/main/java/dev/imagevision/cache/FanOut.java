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

    /**
     * Runs {@code task} for every item, {@code threads} at a time. Rethrows the first failure: an
     * {@link IOException}, unchecked exception or error as it was thrown, anything else wrapped.
     */
    public static <T> void forEach(List<T> items, int threads, Task<T> task) throws IOException {
        if (items.isEmpty()) return;
        // the interrupt is answered by this exception; the flag is not kept, so the caller's clean-up can still write
        if (Thread.interrupted()) throw new InterruptedIOException("interrupted before the work started");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean stopping = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(items.size(), threads)));
        for (T item : items) {
            pool.execute(() -> {
                if (failure.get() != null || stopping.get()) return;
                try {
                    task.run(item);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
        }
        pool.shutdown();
        while (true) {
            try {
                // tasks bound their own time (HTTP timeouts, decode budgets); keep waiting for them
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) break;
            } catch (InterruptedException e) {
                stopping.set(true); // the caller is being stopped: nothing new starts, what runs finishes
            }
        }
        if (stopping.get()) throw new InterruptedIOException("interrupted: the work in flight finished, the rest was not started");
        Throwable t = failure.get();
        if (t == null) return;
        if (t instanceof IOException io) throw io;
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error err) throw err;
        throw new IllegalStateException(t);
    }
}
