package dev.imagevision.cache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files and of key parts. */
public final class Hashing {
    private Hashing() {}

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static String file(Path file) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static String bytes(byte[] data) {
        return HexFormat.of().formatHex(sha256().digest(data));
    }

    /** Hash of several text parts, each length-prefixed so ("ab","c") and ("a","bc") differ. */
    public static String parts(String... parts) {
        MessageDigest md = sha256();
        for (String p : parts) {
            byte[] b = (p == null ? "\u0000null" : p).getBytes(StandardCharsets.UTF_8);
            md.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
            md.update(b);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
