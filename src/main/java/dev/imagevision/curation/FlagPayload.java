package dev.imagevision.curation;

import dev.imagevision.site.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The JSON the audit report's flag button copies: {@code {"path": "…", "reason": "…"}}. Other
 * keys are ignored so the report may add context without breaking older readers.
 */
public record FlagPayload(String path, String reason) {
    /** Longest payload read from stdin; a flag is a path and a sentence. */
    public static final int MAX_BYTES = 64 * 1024;


    static final String EXAMPLE = "{\"path\": \"/images/missions/x/01.jpg\", \"reason\": \"wrong rover\"}";

    public static FlagPayload parse(String text) {
        if (text == null || text.isBlank()) {
            throw new CurationException("no flag payload: pipe the JSON the audit report copied, e.g. " + EXAMPLE
                    + ", or give PATH --reason \"…\"");
        }
        JsonNode node;
        try {
            node = Json.LENIENT.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (JsonProcessingException e) {
            // said in the user's words: where it broke, not the parser's own message
            var at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            boolean cut = e instanceof com.fasterxml.jackson.core.io.JsonEOFException
                    || String.valueOf(e.getOriginalMessage()).contains("end-of-input");
            String what = cut ? "it ends before the JSON is complete"
                    : "it is not valid JSON";
            throw new CurationException("the flag payload cannot be read: " + what + where
                    + "; paste the whole text the audit report copied, e.g. " + EXAMPLE);
        }
        if (node == null || !node.isObject()) {
            throw new CurationException("the flag payload must be a JSON object like " + EXAMPLE);
        }
        return new FlagPayload(text(node, "path"), text(node, "reason"));
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) throw new CurationException("the flag payload has no \"" + key + "\"; expected " + EXAMPLE);
        if (!v.isTextual()) throw new CurationException("the flag payload's \"" + key + "\" must be a string, got " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        return v.textValue();
    }
}
