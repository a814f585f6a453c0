package dev.imagevision.reliability;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one fuzz try on a worker thread and fails it when it takes longer than the bound: a hang
 * is a finding, not a stuck build. What the try throws comes back unwrapped.
 */
final class Bounded implements AutoCloseable {
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-try");
        t.setDaemon(true); // a hung native call must not keep the test JVM alive
        return t;
    });
    private final Duration bound;

    Bounded(Duration bound) {
        this.bound = bound;
    }

    <T> T run(String what, Callable<T> work) throws Exception {
        Future<T> f = worker.submit(work);
        try {
            return f.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError(what + " did not finish within " + bound.toSeconds() + " s (a hang)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) throw ex;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
