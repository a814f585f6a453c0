package dev.imagevision.report;

import dev.imagevision.site.Json;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * JSON that is safe inside an HTML {@code <script>} element. Model and provenance text may hold
 * {@code </script>} or {@code <!--}; escaping {@code < > &} and the two JavaScript line
 * terminators as {@code \}{@code uXXXX} keeps the element closed where we close it. In JSON
 * those characters can only occur inside strings, so replacing them everywhere is exact.
 */
public final class ScriptJson {

    private ScriptJson() {}

    public static String of(Object value) {
        try {
            return escape(Json.LENIENT.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise report data", e);
        }
    }

    public static String escape(String json) {
        StringBuilder out = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> {
                    if (Html.bidi(c)) out.append(String.format("\\u%04x", (int) c)); // exact, and inert in the source
                    else out.append(c);
                }
            }
        }
        return out.toString();
    }
}
