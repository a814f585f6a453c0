package dev.imagevision.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * The per-model price table and the cost of a call, exact (BigDecimal): a ledger must add up to
 * the cent however many calls it holds. Message Batches cost half of every rate.
 */
public final class Prices {
    private Prices() {}

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final BigDecimal BATCH_FACTOR = new BigDecimal("0.5");

    /** List prices, USD per million tokens. A dated snapshot id ("…-20250929") takes its family's price. */
    static final Map<String, Price> TABLE = Map.of(
            "claude-sonnet-4-6", Price.of("3", "15"),
            "claude-sonnet-4-5", Price.of("3", "15"),
            "claude-sonnet-4", Price.of("3", "15"),
            "claude-opus-4-5", Price.of("5", "25"),
            "claude-opus-4-1", Price.of("15", "75"),
            "claude-opus-4", Price.of("15", "75"),
            "claude-haiku-4-5", Price.of("1", "5"),
            "claude-3-5-haiku", Price.of("0.8", "4"));

    /** The dearest row: what an unknown model is charged so the cost caps still protect. */
    static final Price DEAREST = TABLE.values().stream().max(Comparator.comparing(Price::output)).orElseThrow();

    /** The table's price for a model id, its longest matching family, or empty when unknown. */
    public static Optional<Price> known(String model) {
        if (model == null) return Optional.empty();
        Price exact = TABLE.get(model);
        if (exact != null) return Optional.of(exact);
        return TABLE.entrySet().stream().filter(e -> model.startsWith(e.getKey() + "-"))
                .max(Comparator.comparingInt(e -> e.getKey().length())).map(Map.Entry::getValue);
    }

    /**
     * Whether the table lists this exact model: a row, or a row's dated snapshot ({@code -YYYYMMDD}).
     * "claude-opus-4-7" is not claude-opus-4's snapshot, only a name that starts like it.
     */
    public static boolean listed(String model) {
        if (model == null) return false;
        if (TABLE.containsKey(model)) return true;
        return model.length() > 9 && model.matches(".*-\\d{8}") && TABLE.containsKey(model.substring(0, model.length() - 9));
    }

    /** The price a call is charged at: the table's, or the dearest row for a model the table does not know. */
    public static Price forModel(String model) {
        return known(model).orElse(DEAREST);
    }

    /** Exact dollars for the tokens of one call. */
    public static BigDecimal cost(Price p, Tokens t, boolean batch) {
        BigDecimal micro = p.input().multiply(BigDecimal.valueOf(t.input()))
                .add(p.output().multiply(BigDecimal.valueOf(t.output())))
                .add(p.cacheRead().multiply(BigDecimal.valueOf(t.cacheRead())))
                .add(p.cacheWrite().multiply(BigDecimal.valueOf(t.cacheWrite())));
        BigDecimal usd = micro.divide(MILLION);
        if (batch) usd = usd.multiply(BATCH_FACTOR);
        return normalise(usd);
    }

    public static BigDecimal cost(String model, Tokens t, boolean batch) {
        return cost(forModel(model), t, batch);
    }

    /**
     * The most a call with at most these tokens can cost: every input token at the dearest input
     * rate of the model (a prompt-cache write), every output token at the output rate.
     */
    public static BigDecimal ceiling(String model, long inputTokens, long outputTokens, boolean batch) {
        return cost(forModel(model), new Tokens(0, outputTokens, 0, inputTokens), batch);
    }

    /** Plain and without trailing zeros, so "0.0045" not "0.004500000". */
    static BigDecimal normalise(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0, RoundingMode.UNNECESSARY) : s;
    }
}
