package dev.imagevision.vision.anthropic;

import dev.imagevision.ledger.Prices;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A reply's usage is possible exactly when no count is negative and none passes what its request can carry. */
class ClaimedUsageTest {
    @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE) // the extremes are among counts()
    void usageIsPossibleExactlyWhenWithinTheCeiling(@ForAll("counts") long in, @ForAll("counts") long out,
                                                    @ForAll("counts") long read, @ForAll("counts") long write,
                                                    @ForAll("ceilings") long inCeiling) {
        ClaimedUsage u = new ClaimedUsage(in, out, read, write);
        BigInteger inputSide = BigInteger.valueOf(in).add(BigInteger.valueOf(read)).add(BigInteger.valueOf(write));
        boolean possible = in >= 0 && out >= 0 && read >= 0 && write >= 0
                && inputSide.compareTo(BigInteger.valueOf(inCeiling)) <= 0 && out <= 1024;
        assertThat(u.impossibility(inCeiling, 1024).isEmpty()).as("%s within %d", u, inCeiling).isEqualTo(possible);
        if (possible) { // what is recorded never costs more than the ceiling the journal charged
            assertThat(Prices.cost("claude-sonnet-4-6", u.tokens(), false))
                    .isLessThanOrEqualTo(Prices.ceiling("claude-sonnet-4-6", inCeiling, 1024, false));
        }
    }

    @Provide
    Arbitrary<Long> counts() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-10, 20_000), Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE,
                1_000_000_000_000L, -1L, 0L, 1024L, 1025L));
    }

    @Provide
    Arbitrary<Long> ceilings() {
        return Arbitraries.longs().between(1_000, 20_000);
    }
}
