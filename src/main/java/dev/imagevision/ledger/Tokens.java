package dev.imagevision.ledger;

/**
 * Tokens one call used, as the Messages API reports them in {@code usage}: {@code input} excludes
 * the prompt-cache reads and writes, which are billed at their own rates.
 */
public record Tokens(long input, long output, long cacheRead, long cacheWrite) {
    public static final Tokens NONE = new Tokens(0, 0, 0, 0);

    public Tokens {
        if (input < 0 || output < 0 || cacheRead < 0 || cacheWrite < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
    }

    public Tokens plus(Tokens o) {
        return new Tokens(input + o.input, output + o.output, cacheRead + o.cacheRead, cacheWrite + o.cacheWrite);
    }
}
