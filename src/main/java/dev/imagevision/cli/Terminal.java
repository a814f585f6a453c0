package dev.imagevision.cli;

/**
 * Text going to a terminal: control characters from files or models never reach it, nor do the
 * invisible direction overrides that make a name read as something else.
 */
final class Terminal {
    private Terminal() {}

    static String clean(String s) {
        if (s == null) return "";
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7F && !(c >= 0x80 && c < 0xA0) && c != 0x2028 && c != 0x2029 && !bidi(c))) out.appendCodePoint(c);
            else out.append('?');
        });
        return out.toString();
    }

    /** "1 image", "2 images": a count with its noun. */
    static String count(long n, String singular) {
        return n + " " + (n == 1 ? singular : singular + "s");
    }

    /** Unicode bidirectional controls (marks, embeddings, overrides, isolates). */
    static boolean bidi(int c) {
        return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }
}
