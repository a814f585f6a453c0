package dev.imagevision.ledger;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Provide;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetTest {

    @Test
    void warnsOnceAtTheSoftLimitAndHaltsAtTheHardLimit() {
        Budget b = new Budget(new BigDecimal("50"), new BigDecimal("200"));
        assertThat(b.add(new BigDecimal("49.99"))).isEqualTo(Budget.Crossing.NONE);
        assertThat(b.halted()).isFalse();
        assertThat(b.add(new BigDecimal("0.01"))).isEqualTo(Budget.Crossing.SOFT);
        assertThat(b.add(new BigDecimal("100"))).isEqualTo(Budget.Crossing.NONE);
        assertThat(b.add(new BigDecimal("49.99"))).isEqualTo(Budget.Crossing.NONE);
        assertThat(b.halted()).isFalse();
        assertThat(b.remaining()).isEqualByComparingTo("0.01");
        assertThat(b.add(new BigDecimal("0.01"))).isEqualTo(Budget.Crossing.HARD);
        assertThat(b.halted()).isTrue();
        assertThat(b.add(new BigDecimal("0.05"))).isEqualTo(Budget.Crossing.NONE); // an in-flight call still counts
        assertThat(b.spent()).isEqualByComparingTo("200.05");
        assertThat(b.remaining()).isEqualByComparingTo("0");
    }

    @Test
    void oneCallPastBothLimitsReportsTheHardOne() {
        Budget b = new Budget(new BigDecimal("1"), new BigDecimal("2"));
        assertThat(b.add(new BigDecimal("5"))).isEqualTo(Budget.Crossing.HARD);
        assertThat(b.add(new BigDecimal("1"))).isEqualTo(Budget.Crossing.NONE);
    }

    /** Whatever the calls, each limit is announced at most once, and halted ⇔ spent ≥ hard. */
    @Property
    void eachLimitIsAnnouncedAtMostOnce(@ForAll @Size(max = 60) List<@IntRange(max = 3000) Integer> centsPerCall) {
        BigDecimal soft = new BigDecimal("50"), hard = new BigDecimal("200");
        Budget.State s = Budget.State.START;
        int softs = 0, hards = 0;
        for (int cents : centsPerCall) {
            Budget.Step step = Budget.add(s, BigDecimal.valueOf(cents, 2), soft, hard);
            if (step.crossing() == Budget.Crossing.SOFT) softs++;
            if (step.crossing() == Budget.Crossing.HARD) hards++;
            assertThat(step.state().spent()).isGreaterThanOrEqualTo(s.spent());
            s = step.state();
            assertThat(s.hardReached()).isEqualTo(s.spent().compareTo(hard) >= 0);
        }
        assertThat(softs).isLessThanOrEqualTo(1);
        assertThat(hards).isLessThanOrEqualTo(1);
        if (s.spent().compareTo(hard) >= 0) assertThat(hards).isEqualTo(1);
    }

    /** One step of a run with concurrency: a request starts (at its ceiling) or the oldest one in flight ends. */
    record Event(boolean start, int ceilingCents, int costPercent) {}

    @Provide
    Arbitrary<List<Event>> runs() {
        Arbitrary<Event> e = Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 900),
                Arbitraries.integers().between(0, 100)).as(Event::new);
        return e.list().ofMaxSize(80);
    }

    /**
     * Whatever order requests start and end in, and whatever each costs up to its ceiling, nothing is
     * ever spent past the hard limit, even counting every request still in flight at its ceiling; and
     * once a request is refused nothing more starts.
     */
    @Property
    void theHardLimitHoldsWithRequestsInFlight(@ForAll("runs") List<Event> events) {
        BigDecimal soft = new BigDecimal("5"), hard = new BigDecimal("20");
        Budget.State s = Budget.State.START;
        java.util.ArrayDeque<BigDecimal> flying = new java.util.ArrayDeque<>();
        boolean refused = false;
        for (Event e : events) {
            if (e.start()) {
                BigDecimal ceiling = BigDecimal.valueOf(e.ceilingCents(), 2);
                Budget.Admission a = Budget.admit(s, ceiling, hard);
                if (refused) assertThat(a.verdict()).isEqualTo(Budget.Verdict.REFUSE);
                if (a.admitted()) flying.add(ceiling);
                else if (a.verdict() == Budget.Verdict.REFUSE) refused = true;
                else assertThat(flying).isNotEmpty(); // it waits only for requests that will settle
                s = a.step().state();
            } else if (!flying.isEmpty()) {
                BigDecimal ceiling = flying.poll();
                BigDecimal cost = ceiling.multiply(BigDecimal.valueOf(e.costPercent(), 2));
                s = Budget.settle(s, ceiling, cost, soft, hard).state();
            }
            assertThat(s.spent().add(s.inFlight())).isLessThanOrEqualTo(hard);
            assertThat(s.inFlight()).isEqualByComparingTo(flying.stream().reduce(BigDecimal.ZERO, BigDecimal::add));
        }
    }

    @Test
    void aRequestThatDoesNotFitBesideThoseInFlightWaitsForThemToSettle() throws Exception {
        Budget b = new Budget(new BigDecimal("0"), new BigDecimal("0.10"));
        assertThat(b.admit(new BigDecimal("0.04")).admitted()).isTrue();
        assertThat(b.admit(new BigDecimal("0.04")).admitted()).isTrue();
        var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return b.admit(new BigDecimal("0.04"), java.time.Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        b.settle(new BigDecimal("0.04"), new BigDecimal("0.007")); // a reply far under its ceiling makes room
        assertThat(waiting.get(1, java.util.concurrent.TimeUnit.MINUTES).admitted()).isTrue();
        assertThat(b.halted()).isFalse();
        assertThat(b.inFlight()).isEqualByComparingTo("0.08");
    }

    @Test
    void aRequestWhoseCeilingDoesNotFitIsRefusedAndHalts() {
        Budget b = new Budget(new BigDecimal("0"), new BigDecimal("0.05"));
        assertThat(b.admit(new BigDecimal("0.04")).admitted()).isTrue();
        Budget.Admission second = b.admit(new BigDecimal("0.04"));
        assertThat(second.admitted()).isFalse();
        assertThat(second.step().crossing()).isEqualTo(Budget.Crossing.HARD);
        assertThat(b.halted()).isTrue();
        assertThat(b.settle(new BigDecimal("0.04"), new BigDecimal("0.01"))).isEqualTo(Budget.Crossing.NONE);
        assertThat(b.admit(new BigDecimal("0.001")).admitted()).isFalse(); // halted: nothing more starts
        assertThat(b.spent()).isEqualByComparingTo("0.01");
        assertThat(b.inFlight()).isEqualByComparingTo("0");
    }
}
