package dev.imagevision.crop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The mark this tool puts in every variant it writes: a JPEG comment (COM segment) saying whose
 * variant it is, what it was cut from, and a SHA-256 of every byte that follows the comment,
 * {@code imagevision variant 1x1 key <variant key> data <sha-256> of /images/x/01.jpg}. With it a
 * file at a variant path tells by itself whether this tool wrote it as it is and whether it is up to
 * date, on a fresh clone without the cache and even when the manifest is gone: a file the tool did
 * not write (or one of its files edited since, or a comment copied onto another picture) is never
 * overwritten, and one it wrote is not cut again for nothing. A container edit, like
 * {@link JpegEnd}: the encoder's bytes are copied as they are, nothing that encodes a pixel is
 * touched, and decoders skip comments.
 */
public final class VariantMark {
    static final String PREFIX = "imagevision variant ";
    private static final int SOI = 0xD8, COM = 0xFE, APP0 = 0xE0, SOS = 0xDA, EOI = 0xD9;

    private VariantMark() {}

    /** What a valid mark says: variant id, the variant key it was cut with and the source it belongs to. */
    public record Mark(String id, String key, String source) {}

    /**
     * The variant's JPEG with the mark naming its id, variant key and source after the SOI (and JFIF
     * APP0, when there is one).
     */
    public static byte[] marked(byte[] jpeg, String id, String key, String sourcePath) {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != SOI) {
            throw new IllegalArgumentException("not a JPEG: the encoder's output must start with SOI");
        }
        int at = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == APP0 && jpeg.length >= 6) {
            at = 4 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF)); // JFIF readers expect APP0 first
        }
        String data = sha256(jpeg, at, jpeg.length - at);
        byte[] text = (PREFIX + id + " key " + key + " data " + data + " of " + sourcePath).getBytes(StandardCharsets.UTF_8);
        if (text.length > 65_533) throw new IllegalArgumentException("source path too long for a JPEG comment");
        int len = text.length + 2;
        byte[] out = new byte[jpeg.length + 2 + len];
        System.arraycopy(jpeg, 0, out, 0, at);
        out[at] = (byte) 0xFF;
        out[at + 1] = (byte) COM;
        out[at + 2] = (byte) (len >> 8);
        out[at + 3] = (byte) len;
        System.arraycopy(text, 0, out, at + 4, text.length);
        System.arraycopy(jpeg, at, out, at + 4 + text.length, jpeg.length - at);
        return out;
    }

    /**
     * The mark of a file this tool wrote and nobody changed since; empty for anything else (no mark, a
     * mark whose data digest does not match what follows it, a file that is not a JPEG).
     */
    public static Optional<Mark> read(Path file) throws IOException {
        return read(Files.readAllBytes(file));
    }

    /** The mark in a file's first bytes (its head: the segments before the image data). */
    public static Optional<Mark> read(byte[] b) {
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != SOI) return Optional.empty();
        int i = 2;
        while (i + 4 <= b.length && (b[i] & 0xFF) == 0xFF) {
            int marker = b[i + 1] & 0xFF;
            if (marker == SOS || marker == EOI) break;
            int len = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            if (len < 2 || i + 2 + len > b.length) break;
            int end = i + 2 + len;
            if (marker == COM) {
                Optional<Mark> m = parse(new String(b, i + 4, len - 2, StandardCharsets.UTF_8), b, end);
                if (m.isPresent()) return m;
            }
            i = end;
        }
        return Optional.empty();
    }

    /** {@code <id> key <key> data <digest> of <source>}, valid only when the digest is that of the bytes after the comment. */
    private static Optional<Mark> parse(String text, byte[] file, int after) {
        if (!text.startsWith(PREFIX)) return Optional.empty();
        String rest = text.substring(PREFIX.length());
        int of = rest.indexOf(" of ");
        if (of <= 0) return Optional.empty();
        String[] head = rest.substring(0, of).split(" ");
        if (head.length != 5 || !head[1].equals("key") || !head[3].equals("data")) return Optional.empty();
        if (!head[4].equals(sha256(file, after, file.length - after))) return Optional.empty();
        return Optional.of(new Mark(head[0], head[2], rest.substring(of + 4)));
    }

    private static String sha256(byte[] b, int from, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, from, length);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
