package dev.imagevision.vision.anthropic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code .env.local} at the site root (spec M11): {@code KEY=value} lines as dotenv tools write
 * them: blank lines and {@code #} comments skipped, an optional {@code export}, single or double
 * quotes, a trailing {@code # comment} after an unquoted value, CRLF line ends.
 */
public final class DotEnv {
    private DotEnv() {}

    public static final String FILE_NAME = ".env.local";

    /** The variables in the site's .env.local, or none when there is no such file. */
    public static Map<String, String> read(Path siteRoot) throws IOException {
        Path file = siteRoot.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) return Map.of();
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("export ")) line = line.substring(7).stripLeading();
            int eq = line.indexOf('=');
            if (eq <= 0) continue;
            String key = line.substring(0, eq).strip();
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) continue;
            out.put(key, value(line.substring(eq + 1).strip()));
        }
        return out;
    }

    static String value(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'')) {
            int close = v.indexOf(v.charAt(0), 1);
            if (close > 0) return v.substring(1, close);
        }
        int comment = v.indexOf(" #");
        return (comment >= 0 ? v.substring(0, comment) : v).strip();
    }
}
