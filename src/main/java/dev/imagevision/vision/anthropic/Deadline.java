package dev.imagevision.vision.anthropic;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The time one image may spend on the API across all its requests: every attempt, the re-ask, and
 * the waits between them (not the wait for a free request slot, which other images' calls decide).
 * Waits are counted as asked for, so a test's sleeper that does not sleep still runs the clock.
 */
final class Deadline {
    /** No bound (batch polling, which has its own schedule). */
    static Deadline none() {
        return new Deadline(null, System::nanoTime);
    }

    private final Duration budget;
    private final LongSupplier nanos;
    private long spentNanos;

    Deadline(Duration budget, LongSupplier nanos) {
        this.budget = budget;
        this.nanos = nanos;
    }

    boolean bounded() {
        return budget != null;
    }

    Duration budget() {
        return budget;
    }

    /** What is left; a very long time when unbounded. */
    Duration remaining() {
        if (budget == null) return Duration.ofDays(365);
        Duration left = budget.minusNanos(spentNanos);
        return left.isNegative() ? Duration.ZERO : left;
    }

    boolean expired() {
        return budget != null && remaining().isZero();
    }

    /** Starts timing one attempt; call the result when it has ended. */
    Runnable startAttempt() {
        long start = nanos.getAsLong();
        return () -> spentNanos += Math.max(0, nanos.getAsLong() - start);
    }

    void waited(Duration d) {
        spentNanos += d.toNanos();
    }

    /** One attempt's time limit: the configured one, or what is left if that is less. */
    Duration attemptLimit(Duration perAttempt) {
        Duration left = remaining();
        return left.compareTo(perAttempt) < 0 ? left : perAttempt;
    }
}
