package dev.imagevision.ledger;

import java.math.BigDecimal;

/**
 * The per-run spending guard (spec S4): a soft limit that warns once and a hard limit after which
 * no new call may start. Calls already in flight still finish and are still counted, so a run can
 * end a few calls over the hard limit, never more than its concurrency allows.
 */
public final class Budget {
    /** What one more paid call changed. */
    public enum Crossing { NONE, SOFT, HARD }

    /** The pure state: what has been spent and which limits have been announced. */
    public record State(BigDecimal spent, boolean softCrossed, boolean hardReached) {
        public static final State START = new State(BigDecimal.ZERO, false, false);
    }

    /** The result of adding one call: the new state and the limit it crossed, if it crossed one for the first time. */
    public record Step(State state, Crossing crossing) {}

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

    /** Pure: the state after a call costing {@code cost}. HARD wins when one call crosses both. */
    public static Step add(State s, BigDecimal cost, BigDecimal soft, BigDecimal hard) {
        if (cost.signum() < 0) throw new IllegalArgumentException("a call cannot cost less than nothing");
        BigDecimal spent = s.spent().add(cost);
        boolean hardNow = spent.compareTo(hard) >= 0;
        boolean softNow = spent.compareTo(soft) >= 0 && soft.signum() > 0;
        Crossing c = hardNow && !s.hardReached() ? Crossing.HARD
                : softNow && !s.softCrossed() ? Crossing.SOFT : Crossing.NONE;
        return new Step(new State(spent, s.softCrossed() || softNow, s.hardReached() || hardNow), c);
    }

    public synchronized Crossing add(BigDecimal cost) {
        Step step = add(state, cost, soft, hard);
        state = step.state();
        return step.crossing();
    }

    /** True once the hard limit is reached: no new call may start. */
    public synchronized boolean halted() {
        return state.hardReached();
    }

    public synchronized BigDecimal spent() {
        return state.spent();
    }

    /** What may still be spent before the hard limit (zero once reached). */
    public synchronized BigDecimal remaining() {
        return hard.subtract(state.spent()).max(BigDecimal.ZERO);
    }

    public BigDecimal soft() {
        return soft;
    }

    public BigDecimal hard() {
        return hard;
    }
}
