package dev.imagevision.ledger;

import java.math.BigDecimal;

/** US dollars per million tokens of one model, by kind of token. */
public record Price(BigDecimal input, BigDecimal output, BigDecimal cacheWrite, BigDecimal cacheRead) {

    /** The usual shape: cache writes (5-minute) at 1.25× input, cache reads at 0.1× input. */
    public static Price of(String inputPerMTok, String outputPerMTok) {
        BigDecimal in = new BigDecimal(inputPerMTok);
        return new Price(in, new BigDecimal(outputPerMTok), in.multiply(new BigDecimal("1.25")),
                in.multiply(new BigDecimal("0.1")));
    }
}
