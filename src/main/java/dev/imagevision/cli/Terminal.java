package dev.imagevision.cli;

/** Text going to a terminal: control characters from files or models never reach it. */
final class Terminal {
    private Terminal() {}

    static String clean(String s) {
        if (s == null) return "";
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7F && !(c >= 0x80 && c < 0xA0))) out.appendCodePoint(c);
            else out.append('?');
        });
        return out.toString();
    }
}
