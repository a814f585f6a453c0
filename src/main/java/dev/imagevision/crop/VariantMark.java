package dev.imagevision.crop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The mark this tool puts in every variant it writes: a JPEG comment (COM segment) saying whose
 * variant it is and what it was cut from, {@code imagevision variant 1x1 key <variant key> of
 * /images/x/01.jpg}. With it a file at a variant path tells by itself whether this tool wrote it and
 * whether it is up to date, on a fresh clone without the cache and even when the manifest is gone:
 * a file the tool did not write is never overwritten, and one it wrote is not cut again for nothing. A container
 * edit, like {@link JpegEnd}: the encoder's bytes are copied as they are, nothing that encodes a
 * pixel is touched, and decoders skip comments.
 */
public final class VariantMark {
    static final String PREFIX = "imagevision variant ";
    private static final int SOI = 0xD8, COM = 0xFE, APP0 = 0xE0, SOS = 0xDA, EOI = 0xD9;
    /** How much of a file is read to find the mark: it sits right after the JFIF header. */
    static final int HEAD = 4096;

    private VariantMark() {}

    /**
     * The variant's JPEG with the mark naming its id, variant key and source after the SOI (and JFIF
     * APP0, when there is one).
     */
    public static byte[] marked(byte[] jpeg, String id, String key, String sourcePath) {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != SOI) {
            throw new IllegalArgumentException("not a JPEG: the encoder's output must start with SOI");
        }
        byte[] text = (PREFIX + id + " key " + key + " of " + sourcePath).getBytes(StandardCharsets.UTF_8);
        if (text.length > 65_533) throw new IllegalArgumentException("source path too long for a JPEG comment");
        int at = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == APP0 && jpeg.length >= 6) {
            at = 4 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF)); // JFIF readers expect APP0 first
        }
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

    /** What the mark at the head of a file says: variant id, the variant key it was cut with (null if not said) and source path. */
    public record Mark(String id, String key, String source) {}

    /** Reads the mark of a file, if it is a JPEG this tool wrote; empty for anything else. */
    public static Optional<Mark> read(Path file) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(ch.size(), HEAD));
            while (head.hasRemaining() && ch.read(head) >= 0) {
                // fill
            }
            Optional<Mark> mark = read(head.array());
            if (mark.isPresent() || ch.size() <= HEAD) return mark;
            // a mark naming a very long path reaches past the head: read the segments before the image data
            ByteBuffer more = ByteBuffer.allocate((int) Math.min(ch.size(), 2 + 18 + 4 + 65_535L));
            ch.position(0);
            while (more.hasRemaining() && ch.read(more) >= 0) {
                // fill
            }
            return read(more.array());
        }
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
            if (marker == COM) {
                String text = new String(b, i + 4, len - 2, StandardCharsets.UTF_8);
                if (text.startsWith(PREFIX)) {
                    String rest = text.substring(PREFIX.length());
                    int of = rest.indexOf(" of ");
                    if (of > 0) {
                        String head = rest.substring(0, of);
                        int k = head.indexOf(" key ");
                        String id = k < 0 ? head : head.substring(0, k);
                        String key = k < 0 ? null : head.substring(k + 5);
                        return Optional.of(new Mark(id, key, rest.substring(of + 4)));
                    }
                }
            }
            i += 2 + len;
        }
        return Optional.empty();
    }
}
