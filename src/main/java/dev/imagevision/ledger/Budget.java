package dev.imagevision.ledger;

import java.math.BigDecimal;

/**
 * The per-run spending guard (spec S4): a soft limit that warns once and a hard limit the ledger never
 * passes. A request is admitted only if what was spent, the ceilings of every request still in flight
 * and its own ceiling all fit under the hard limit. One that does not fit while others are in flight
 * waits for them to settle (they usually cost far less than their ceilings); one that does not fit
 * with nothing in flight reaches the hard limit (no new call starts). A request in flight is settled by what it cost (its ceiling at most,
 * nothing when it was not billed). Costs that had no request admitted (batch results) are added as they
 * come.
 */
public final class Budget {
    /** What one more paid call changed. */
    public enum Crossing { NONE, SOFT, HARD }

    /**
     * The pure state: what has been spent, the ceilings of the requests in flight, and which limits have
     * been announced.
     */
    public record State(BigDecimal spent, BigDecimal inFlight, boolean softCrossed, boolean hardReached) {
        public static final State START = new State(BigDecimal.ZERO, BigDecimal.ZERO, false, false);
    }

    /** The result of adding one call: the new state and the limit it crossed, if it crossed one for the first time. */
    public record Step(State state, Crossing crossing) {}

    /** What a request is told: start, wait for the requests in flight to settle, or never (the hard limit is reached). */
    public enum Verdict { ADMIT, WAIT, REFUSE }

    /** Whether a request may start; a refusal reaches the hard limit (HARD the first time). */
    public record Admission(Verdict verdict, Step step) {
        public boolean admitted() {
            return verdict == Verdict.ADMIT;
        }
    }

    private final BigDecimal soft;
    private final BigDecimal hard;
    private State state = State.START;

    public Budget(BigDecimal soft, BigDecimal hard) {
        if (soft.signum() < 0 || hard.signum() <= 0) throw new IllegalArgumentException("limits must be positive");
        this.soft = soft;
        this.hard = hard;
    }

    public static Budget of(double softUsd, double hardUsd) {
        return new Budget(BigDecimal.valueOf(softUsd), BigDecimal.valueOf(hardUsd));
    }

    /** Pure: the state after a call costing {@code cost} that had no ceiling in flight. HARD wins when one call crosses both. */
    public static Step add(State s, BigDecimal cost, BigDecimal soft, BigDecimal hard) {
        return settle(s, BigDecimal.ZERO, cost, soft, hard);
    }

    /**
     * Pure: may a request whose cost ceiling is {@code ceiling} start? Once the hard limit is reached
     * nothing more starts, so a run never spends past it even if every request in flight costs its ceiling.
     */
    public static Admission admit(State s, BigDecimal ceiling, BigDecimal hard) {
        if (ceiling.signum() < 0) throw new IllegalArgumentException("a ceiling cannot be less than nothing");
        if (s.hardReached()) return new Admission(Verdict.REFUSE, new Step(s, Crossing.NONE));
        if (s.spent().add(s.inFlight()).add(ceiling).compareTo(hard) <= 0) {
            return new Admission(Verdict.ADMIT, new Step(new State(s.spent(), s.inFlight().add(ceiling), s.softCrossed(),
                    false), Crossing.NONE));
        }
        if (s.inFlight().signum() > 0) return new Admission(Verdict.WAIT, new Step(s, Crossing.NONE));
        return refuse(s);
    }

    private static Admission refuse(State s) {
        return new Admission(Verdict.REFUSE, new Step(new State(s.spent(), s.inFlight(), s.softCrossed(), true),
                s.hardReached() ? Crossing.NONE : Crossing.HARD));
    }

    /**
     * Pure: a request admitted at {@code ceiling} ended, costing {@code cost} (zero when it was not billed).
     * HARD wins when one call crosses both limits.
     */
    public static Step settle(State s, BigDecimal ceiling, BigDecimal cost, BigDecimal soft, BigDecimal hard) {
        if (cost.signum() < 0) throw new IllegalArgumentException("a call cannot cost less than nothing");
        BigDecimal spent = s.spent().add(cost);
        BigDecimal inFlight = s.inFlight().subtract(ceiling).max(BigDecimal.ZERO);
        boolean hardNow = spent.compareTo(hard) >= 0;
        boolean softNow = spent.compareTo(soft) >= 0 && soft.signum() > 0;
        Crossing c = hardNow && !s.hardReached() ? Crossing.HARD
                : softNow && !s.softCrossed() ? Crossing.SOFT : Crossing.NONE;
        return new Step(new State(spent, inFlight, s.softCrossed() || softNow, s.hardReached() || hardNow), c);
    }

    public synchronized Crossing add(BigDecimal cost) {
        Step step = add(state, cost, soft, hard);
        state = step.state();
        notifyAll();
        return step.crossing();
    }

    /** Admits a request at its ceiling, or refuses it and reaches the hard limit; never waits. */
    public synchronized Admission admit(BigDecimal ceiling) {
        try {
            return admit(ceiling, java.time.Duration.ZERO);
        } catch (InterruptedException e) {
            throw new AssertionError("a request that does not wait cannot be interrupted", e);
        }
    }

    /**
     * Admits a request at its ceiling, waiting up to {@code patience} for requests in flight to settle
     * when it does not fit beside them; refuses it (and reaches the hard limit) when it cannot fit with
     * nothing in flight, or when the wait runs out.
     */
    public synchronized Admission admit(BigDecimal ceiling, java.time.Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Admission a = admit(state, ceiling, hard);
            if (a.verdict() != Verdict.WAIT) {
                state = a.step().state();
                return a;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                Admission refused = refuse(state);
                state = refused.step().state();
                return refused;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    public synchronized Crossing settle(BigDecimal ceiling, BigDecimal cost) {
        Step step = settle(state, ceiling, cost, soft, hard);
        state = step.state();
        notifyAll(); // a request waiting for room may fit now
        return step.crossing();
    }

    /** True once the hard limit is reached: no new call may start. */
    public synchronized boolean halted() {
        return state.hardReached();
    }

    public synchronized BigDecimal spent() {
        return state.spent();
    }

    /** The ceilings of the requests in flight. */
    public synchronized BigDecimal inFlight() {
        return state.inFlight();
    }

    /** What may still be committed before the hard limit: spent and in-flight ceilings deducted (zero once reached). */
    public synchronized BigDecimal remaining() {
        return state.hardReached() ? BigDecimal.ZERO
                : hard.subtract(state.spent()).subtract(state.inFlight()).max(BigDecimal.ZERO);
    }

    public BigDecimal soft() {
        return soft;
    }

    public BigDecimal hard() {
        return hard;
    }
}
