package dev.imagevision.report;

/** Escaping for text from the model or from provenance: it is shown, never interpreted. */
public final class Html {
    private Html() {}

    public static String escape(String s) {
        if (s == null) return "";
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') out.append(' ');
                    else if (bidi(c)) out.append('\uFFFD'); // a direction override would make the text read as something else
                    else out.append(c);
                }
            }
        }
        return out.toString();
    }

    /** Unicode bidirectional controls (marks, embeddings, overrides, isolates). */
    static boolean bidi(char c) {
        return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }
}
