package dev.imagevision.vision.anthropic;

import dev.imagevision.ledger.Tokens;

import java.util.Optional;

/**
 * The token counts a billed reply claims, checked against what its request can have used, pure. The
 * API bills no negative count, no more input than the request carried (its journaled ceiling) and no
 * more output than {@code max_tokens}: a reply claiming otherwise is corrupt (a gateway, a bug), and
 * its figures are not a fact to record. The request is then charged its ceiling, as unconfirmed.
 */
record ClaimedUsage(long input, long output, long cacheRead, long cacheWrite) {

    /** Why these counts cannot be what the request was billed, or empty when they can. */
    Optional<String> impossibility(long inputCeiling, long outputCeiling) {
        if (input < 0) return Optional.of("input_tokens " + input + " is negative");
        if (output < 0) return Optional.of("output_tokens " + output + " is negative");
        if (cacheRead < 0) return Optional.of("cache_read_input_tokens " + cacheRead + " is negative");
        if (cacheWrite < 0) return Optional.of("cache_creation_input_tokens " + cacheWrite + " is negative");
        // compared one by one so that counts near Long.MAX_VALUE cannot overflow into something plausible
        long room = inputCeiling;
        for (long part : new long[] {input, cacheRead, cacheWrite}) {
            if (part > room) {
                return Optional.of("input " + describe() + " is more than the request can carry (at most "
                        + inputCeiling + " tokens)");
            }
            room -= part;
        }
        if (output > outputCeiling) {
            return Optional.of("output_tokens " + output + " is more than max_tokens (" + outputCeiling + ")");
        }
        return Optional.empty();
    }

    /** Only for counts that passed {@link #impossibility}. */
    Tokens tokens() {
        return new Tokens(input, output, cacheRead, cacheWrite);
    }

    private String describe() {
        return "tokens " + input + " + cache reads " + cacheRead + " + cache writes " + cacheWrite;
    }
}
