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

    /** The text with every occurrence of the key replaced. */
    public String redact(String text) {
        if (text == null || value.isEmpty()) return text;
        return text.replace(value, REDACTED);
    }

    @Override
    public String toString() {
        return "ApiKey[" + REDACTED + " from " + source + "]";
    }
}
