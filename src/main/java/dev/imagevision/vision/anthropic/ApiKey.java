package dev.imagevision.vision.anthropic;

import java.util.Map;
import java.util.Optional;

/**
 * The Anthropic API key: from {@code ANTHROPIC_API_KEY} in the environment, else from
 * {@code .env.local} at the site root. It is only ever handed to the SDK; {@link #toString}
 * never shows it and {@link #redact} scrubs it from any text we did not write ourselves.
 */
public final class ApiKey {
    public static final String VARIABLE = "ANTHROPIC_API_KEY";
    static final String REDACTED = "[redacted]";

    private final String value;
    private final String source;

    private ApiKey(String value, String source) {
        this.value = value;
        this.source = source;
    }

    /** The key from the environment, else from the site's .env.local; empty when neither has one. */
    public static Optional<ApiKey> find(Map<String, String> env, Map<String, String> dotEnv) {
        String v = env.get(VARIABLE);
        if (v != null && !v.isBlank()) return Optional.of(new ApiKey(v.strip(), "the environment"));
        v = dotEnv.get(VARIABLE);
        if (v != null && !v.isBlank()) return Optional.of(new ApiKey(v.strip(), DotEnv.FILE_NAME));
        return Optional.empty();
    }

    String value() {
        return value;
    }

    /** Where the key came from, for messages: "the environment" or ".env.local". */
    public String source() {
        return source;
    }

    /**
     * A key can only be sent in an HTTP header as visible ASCII. Checking it here keeps it out of
     * the HTTP library's own error message, which would quote the bad header value.
     */
    boolean wellFormed() {
        return value.chars().allMatch(c -> c > 0x20 && c < 0x7F);
    }

    /** Shorter runs of the secret may stay in text (too short to be worth anything); longer ones never. */
    static final int SHORTEST_SECRET_RUN = 12;

    /**
     * The text with the key, and any run of {@value #SHORTEST_SECRET_RUN} or more characters of its
     * secret part (after the public {@code sk-ant-api03-} style prefix), replaced: an error body that
     * echoes the key cut short or without its prefix leaks it as surely.
     */
    public String redact(String text) {
        if (text == null || value.isEmpty()) return text;
        String whole = text.replace(value, REDACTED);
        String secret = secret();
        if (secret.length() < SHORTEST_SECRET_RUN) return whole;
        StringBuilder out = new StringBuilder(whole.length());
        int i = 0;
        while (i < whole.length()) {
            int run = longestRun(secret, whole, i);
            if (run >= SHORTEST_SECRET_RUN) {
                out.append(REDACTED);
                i += run;
            } else {
                out.append(whole.charAt(i++));
            }
        }
        return out.toString();
    }

    /** The key without its public prefix ({@code sk-ant-api03-}), which every key shares. */
    String secret() {
        return value.replaceFirst("^sk-[a-z]+-[a-z0-9]+-", "");
    }

    /** Length of the longest piece of {@code secret} that {@code text} has at {@code from}. */
    private static int longestRun(String secret, String text, int from) {
        int best = 0;
        for (int k = 0; k < secret.length() && secret.length() - k > best; k++) {
            int n = 0;
            while (from + n < text.length() && k + n < secret.length() && text.charAt(from + n) == secret.charAt(k + n)) n++;
            best = Math.max(best, n);
        }
        return best;
    }

    @Override
    public String toString() {
        return "ApiKey[" + REDACTED + " from " + source + "]";
    }
}
