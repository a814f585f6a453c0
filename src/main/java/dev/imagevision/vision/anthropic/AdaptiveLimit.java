package dev.imagevision.vision.anthropic;

/**
 * How many requests may be in flight: starts at the configured concurrency, halves on every 429
 * (never below one) and grows back by one after as many clean replies in a row as the current
 * limit (additive increase, multiplicative decrease), so a run slows down when the API says so
 * and recovers when it stops saying so.
 */
final class AdaptiveLimit {
    enum Signal { OK, THROTTLED, OTHER }

    /** The pure state: the current limit and the clean replies since it last changed. */
    record State(int limit, int streak) {}

    private final int max;
    private State state;
    private int inFlight;

    AdaptiveLimit(int max) {
        if (max < 1) throw new IllegalArgumentException("concurrency must be at least 1");
        this.max = max;
        this.state = new State(max, 0);
    }

    static State next(State s, int max, Signal signal) {
        return switch (signal) {
            case THROTTLED -> new State(Math.max(1, s.limit() / 2), 0);
            case OK -> s.streak() + 1 >= s.limit() ? new State(Math.min(max, s.limit() + 1), 0)
                    : new State(s.limit(), s.streak() + 1);
            case OTHER -> s;
        };
    }

    synchronized void acquire() throws InterruptedException {
        while (inFlight >= state.limit()) wait();
        inFlight++;
    }

    synchronized boolean tryAcquire() {
        if (inFlight >= state.limit()) return false;
        inFlight++;
        return true;
    }

    synchronized void release(Signal signal) {
        inFlight--;
        state = next(state, max, signal);
        notifyAll();
    }

    synchronized int limit() {
        return state.limit();
    }

    synchronized int inFlight() {
        return inFlight;
    }
}
