package dev.imagevision.cache;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FanOutTest {
    @Test
    void everyItemIsWorkedOnce() throws IOException {
        AtomicInteger sum = new AtomicInteger();
        FanOut.forEach(List.of(1, 2, 3, 4, 5, 6, 7), 3, sum::addAndGet);
        assertThat(sum.get()).isEqualTo(28);
    }

    @Test
    void aFailureReachesTheCallerOnlyAfterTheTasksStillRunningHaveEndedUninterrupted() throws Exception {
        // the way a disk-full run ended: one write failed, the caller exited, another writer's temporary file stayed
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch failed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean cleanedUp = new AtomicBoolean();
        CompletableFuture<Void> fanOut = CompletableFuture.runAsync(() -> {
            try {
                FanOut.forEach(List.of("failing", "slow"), 2, item -> {
                    if (item.equals("failing")) {
                        slowStarted.await();
                        failed.countDown();
                        throw new IOException("cannot write x: File too large");
                    }
                    slowStarted.countDown();
                    try {
                        failed.await();
                        release.await();
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                    } finally {
                        cleanedUp.set(true);
                    }
                });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> fanOut.get(300, TimeUnit.MILLISECONDS))
                .as("the caller hears of the failure while a task still runs").isInstanceOf(TimeoutException.class);
        release.countDown();
        assertThatThrownBy(() -> fanOut.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("cannot write x: File too large");
        assertThat(cleanedUp).isTrue();
        assertThat(interrupted).as("a running task is left to finish, not interrupted").isFalse();
    }

    @Test
    void interruptingTheCallerStartsNothingNewLetsTheRunningTaskFinishUninterruptedThenSaysInterrupted() throws Exception {
        // how SIGTERM reaches a run: the command's thread is interrupted while it waits for the workers
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                FanOut.forEach(List.of(1, 2, 3), 1, i -> {
                    started.incrementAndGet();
                    running.countDown();
                    try {
                        release.await();
                        finished.set(true);
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                    }
                });
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        caller.start();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        caller.join(300);
        assertThat(caller.isAlive()).as("the caller waits for the task in flight").isTrue();
        release.countDown();
        caller.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(caller.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(java.io.InterruptedIOException.class);
        assertThat(finished).as("the task in flight finished").isTrue();
        assertThat(interrupted).as("and was not interrupted").isFalse();
        assertThat(started.get()).as("no task started after the interrupt").isEqualTo(1);
    }

    @Test
    void aCallerInterruptedBeforehandStartsNothing() {
        AtomicInteger started = new AtomicInteger();
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> FanOut.forEach(List.of(1, 2), 2, i -> started.incrementAndGet()))
                .isInstanceOf(java.io.InterruptedIOException.class);
        assertThat(Thread.interrupted()).as("the exception answers the interrupt").isFalse();
        assertThat(started.get()).isZero();
    }

    @Test
    void noTaskStartsAfterAFailure() {
        AtomicInteger started = new AtomicInteger();
        assertThatThrownBy(() -> FanOut.forEach(List.of(1, 2, 3, 4), 1, i -> {
            started.incrementAndGet();
            if (i == 1) throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(started.get()).isEqualTo(1);
    }

    @Test
    void uncheckedFailuresKeepTheirTypeAndCheckedOnesAreWrapped() {
        assertThatThrownBy(() -> FanOut.forEach(List.of(1), 1, i -> { throw new IllegalArgumentException("odd"); }))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("odd");
        assertThatThrownBy(() -> FanOut.forEach(List.of(1), 1, i -> { throw new Exception("checked"); }))
                .isInstanceOf(IllegalStateException.class).hasRootCauseMessage("checked");
    }

    @Test
    void nothingToDoStartsNoThread() throws IOException {
        FanOut.forEach(List.<Integer>of(), 4, i -> { throw new AssertionError("never called"); });
    }
}
