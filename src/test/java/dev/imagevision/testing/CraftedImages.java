package dev.imagevision.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Image files made byte by byte for tests that need a header to say something the pixels do not. */
public final class CraftedImages {
    private CraftedImages() {}

    /** A PNG that is only a signature, an IHDR declaring {@code w × h} and IEND: no pixel data at all (a bomb's header). */
    public static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(b, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0)
                .put((byte) 0).put((byte) 0).array());
        chunk(b, "IEND", new byte[0]);
        return b.array();
    }

    private static void chunk(ByteBuffer b, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        b.putInt(data.length).put(t).put(data).putInt((int) crc.getValue());
    }
}
