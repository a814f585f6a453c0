package dev.imagevision.crop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether a JPEG is complete. libjpeg decodes a cut-short file "successfully", painting the
 * missing rows grey with only a warning on stderr; a variant cut from that would be published.
 * So a JPEG must reach its end-of-image marker before it is decoded.
 */
final class JpegEnd {
    /** How far from the end of the file the fast check looks for the marker (padding after it is common). */
    static final int TAIL = 4096;

    private JpegEnd() {}

    static void requireComplete(Path file) throws ImageException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer tail = ByteBuffer.allocate((int) Math.min(size, TAIL));
            long from = size - tail.capacity();
            while (tail.hasRemaining() && ch.read(tail, from + tail.position()) >= 0) {
                // read until full or end of file
            }
            tail.flip();
            if (endsWithEndMarker(tail)) return;
            // something follows the image (a trailer, a second image) or it is cut short: walk the markers
            if (size > Integer.MAX_VALUE - 8) throw new ImageException("JPEG file too large to check (" + size + " bytes)");
            ByteBuffer all = ByteBuffer.allocate((int) size);
            while (all.hasRemaining() && ch.read(all, all.position()) >= 0) {
                // read everything
            }
            all.flip();
            if (!reachesEndMarker(all)) {
                throw new ImageException("truncated JPEG: the image data stops before its end marker "
                        + "(the file was cut short; download or export it again)");
            }
        } catch (IOException e) {
            throw new ImageException("cannot read file: " + e.getMessage(), e);
        }
    }

    /** True when the buffer ends with FF D9, optionally followed by zero or whitespace padding. */
    static boolean endsWithEndMarker(ByteBuffer b) {
        int i = b.limit() - 1;
        while (i >= 1) {
            int c = b.get(i) & 0xFF;
            if (c == 0x00 || c == 0x20 || c == 0x0A || c == 0x0D) {
                i--;
                continue;
            }
            return c == 0xD9 && (b.get(i - 1) & 0xFF) == 0xFF;
        }
        return false;
    }

    /**
     * Walks segments and entropy-coded data from the start of the image to its end-of-image marker.
     * Markers inside entropy-coded data cannot be faked: a data byte FF is always stuffed as FF 00.
     */
    static boolean reachesEndMarker(ByteBuffer b) {
        int n = b.limit();
        int pos = 2;
        while (pos + 1 < n) {
            if ((b.get(pos) & 0xFF) != 0xFF) return false;
            int m = b.get(pos + 1) & 0xFF;
            if (m == 0xFF) { // fill byte
                pos++;
                continue;
            }
            if (m == 0xD9) return true;
            if ((m >= 0xD0 && m <= 0xD7) || m == 0x01 || m == 0xD8) {
                pos += 2;
                continue;
            }
            if (pos + 3 >= n) return false;
            int len = ((b.get(pos + 2) & 0xFF) << 8) | (b.get(pos + 3) & 0xFF);
            if (len < 2) return false;
            pos += 2 + len;
            if (m == 0xDA) { // start of scan: skip entropy-coded data to the next real marker
                while (pos + 1 < n) {
                    if ((b.get(pos) & 0xFF) == 0xFF) {
                        int next = b.get(pos + 1) & 0xFF;
                        if (next != 0x00 && next != 0xFF && !(next >= 0xD0 && next <= 0xD7)) break;
                        pos += next == 0xFF ? 1 : 2;
                    } else {
                        pos++;
                    }
                }
            }
        }
        return false;
    }
}
