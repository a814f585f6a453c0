package dev.imagevision.ledger;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PricesTest {

    @Test
    void sonnet46CostsThreeAndFifteenDollarsPerMillionTokens() {
        assertThat(Prices.cost("claude-sonnet-4-6", new Tokens(1_000_000, 0, 0, 0), false)).isEqualByComparingTo("3");
        assertThat(Prices.cost("claude-sonnet-4-6", new Tokens(0, 1_000_000, 0, 0), false)).isEqualByComparingTo("15");
        assertThat(Prices.cost("claude-sonnet-4-6", new Tokens(0, 0, 1_000_000, 0), false)).isEqualByComparingTo("0.3");
        assertThat(Prices.cost("claude-sonnet-4-6", new Tokens(0, 0, 0, 1_000_000), false)).isEqualByComparingTo("3.75");
    }

    @Test
    void batchesCostHalf() {
        assertThat(Prices.cost("claude-sonnet-4-6", new Tokens(1_000_000, 1_000_000, 0, 0), true)).isEqualByComparingTo("9");
    }

    /** A known token script: the ledger of a 1,345-image corpus must add up to the cent. */
    @Test
    void aKnownTokenScriptAddsUpToTheCent() {
        List<Tokens> script = List.of(
                new Tokens(1_523, 161, 0, 0),      // $0.006984
                new Tokens(612, 148, 1_180, 0),     // $0.004410  (cache read 0.000354)
                new Tokens(612, 152, 0, 1_180),     // $0.008541  (cache write 0.004425)
                new Tokens(2_048, 280, 0, 0));      // $0.010344
        BigDecimal run = BigDecimal.ZERO;
        for (Tokens t : script) run = run.add(Prices.cost("claude-sonnet-4-6", t, false));
        assertThat(run).isEqualByComparingTo("0.030279");
        // 1,345 images at the first call's tokens: $9.39348 exactly, $4.69674 in a batch
        BigDecimal corpus = Prices.cost("claude-sonnet-4-6", new Tokens(1_523L * 1345, 161L * 1345, 0, 0), false);
        assertThat(corpus).isEqualByComparingTo("9.39348");
        assertThat(Prices.cost("claude-sonnet-4-6", new Tokens(1_523L * 1345, 161L * 1345, 0, 0), true))
                .isEqualByComparingTo("4.69674");
        BigDecimal perCall = BigDecimal.ZERO;
        for (int i = 0; i < 1345; i++) perCall = perCall.add(Prices.cost("claude-sonnet-4-6", new Tokens(1_523, 161, 0, 0), false));
        assertThat(perCall).isEqualByComparingTo(corpus); // no drift however many calls are summed
    }

    @Test
    void datedSnapshotsTakeTheirFamilysPriceAndUnknownModelsTheDearest() {
        assertThat(Prices.known("claude-sonnet-4-5-20250929")).contains(Prices.TABLE.get("claude-sonnet-4-5"));
        assertThat(Prices.known("claude-haiku-4-5")).contains(Price.of("1", "5"));
        assertThat(Prices.known("gpt-5")).isEmpty();
        assertThat(Prices.forModel("some-future-model")).isEqualTo(Prices.DEAREST);
        assertThat(Prices.DEAREST.output()).isEqualByComparingTo("75");
    }

    @Property
    void costIsAdditiveAndBatchIsExactlyHalf(@ForAll @LongRange(max = 5_000_000) long in, @ForAll @LongRange(max = 500_000) long out,
                                             @ForAll @LongRange(max = 5_000_000) long read, @ForAll @LongRange(max = 5_000_000) long write) {
        Tokens t = new Tokens(in, out, read, write);
        BigDecimal whole = Prices.cost("claude-sonnet-4-6", t, false);
        BigDecimal parts = Prices.cost("claude-sonnet-4-6", new Tokens(in, 0, 0, 0), false)
                .add(Prices.cost("claude-sonnet-4-6", new Tokens(0, out, 0, 0), false))
                .add(Prices.cost("claude-sonnet-4-6", new Tokens(0, 0, read, 0), false))
                .add(Prices.cost("claude-sonnet-4-6", new Tokens(0, 0, 0, write), false));
        assertThat(whole).isEqualByComparingTo(parts);
        assertThat(Prices.cost("claude-sonnet-4-6", t, true).multiply(BigDecimal.TWO)).isEqualByComparingTo(whole);
        assertThat(whole.signum()).isGreaterThanOrEqualTo(0);
    }
}
