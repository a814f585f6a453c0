package dev.imagevision.ledger;

import net.jqwik.api.ForAll;
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
}
