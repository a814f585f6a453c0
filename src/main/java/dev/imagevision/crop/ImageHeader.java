package dev.imagevision.crop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What an image file's header says, read without decoding a pixel: format, stored size, EXIF
 * orientation, alpha, bit depth. It is what the pixel-count guard reads before anything is decoded.
 *
 * @param width       stored width (before orientation)
 * @param height      stored height (before orientation)
 * @param orientation EXIF orientation 1–8 (1 when absent)
 * @param hasAlpha    the image may carry transparency
 * @param sixteenBit  samples are 16-bit
 * @param cmyk        a four-component (CMYK/YCCK) JPEG
 * @param grey        one colour channel (grey JPEG, grey PNG), so it can be decoded at a third of the memory
 */
public record ImageHeader(ImageFormat format, int width, int height, int orientation, boolean hasAlpha,
                          boolean sixteenBit, boolean cmyk, boolean grey) {

    /** Width after EXIF orientation (5–8 swap the axes). */
    public int orientedWidth() {
        return orientation >= 5 ? height : width;
    }

    public int orientedHeight() {
        return orientation >= 5 ? width : height;
    }

    public long pixels() {
        return (long) width * height;
    }

    public static ImageHeader read(Path file) throws ImageException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) throw new ImageException("empty file (0 bytes)");
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, 64));
            readFully(ch, head, 0);
            byte[] b = head.array();
            int n = head.position();
            if (n >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) return jpeg(ch, size);
            if (n >= 24 && startsWith(b, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})) return png(ch, b, n);
            if (n >= 16 && startsWith(b, "RIFF".getBytes(StandardCharsets.US_ASCII))
                    && new String(b, 8, 4, StandardCharsets.US_ASCII).equals("WEBP")) return webp(ch, size);
            throw new ImageException("not a JPEG, PNG or WebP image (" + describe(b, n) + ")");
        } catch (IOException e) {
            throw new ImageException("cannot read file: " + e.getMessage(), e);
        }
    }

    private static ImageHeader png(FileChannel ch, byte[] b, int n) throws ImageException, IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, 0, n).order(ByteOrder.BIG_ENDIAN);
        if (!new String(b, 12, 4, StandardCharsets.US_ASCII).equals("IHDR")) throw new ImageException("PNG without IHDR header");
        int w = bb.getInt(16);
        int h = bb.getInt(20);
        if (n < 26) throw new ImageException("truncated PNG header");
        int depth = b[24] & 0xFF;
        int colourType = b[25] & 0xFF;
        if (w <= 0 || h <= 0) throw new ImageException("PNG header declares an impossible size " + w + "x" + h);
        boolean alpha = colourType == 4 || colourType == 6 || hasChunk(ch, "tRNS");
        return new ImageHeader(ImageFormat.PNG, w, h, 1, alpha, depth == 16, false, colourType == 0 || colourType == 4);
    }

    /** Walks PNG chunks up to IDAT looking for one type (tRNS: transparency on palette or grey images). */
    private static boolean hasChunk(FileChannel ch, String type) throws IOException {
        long pos = 8;
        ByteBuffer hdr = ByteBuffer.allocate(8);
        for (int i = 0; i < 64 && pos + 8 <= ch.size(); i++) {
            hdr.clear();
            readFully(ch, hdr, pos);
            if (hdr.position() < 8) return false;
            long len = Integer.toUnsignedLong(hdr.getInt(0));
            String t = new String(hdr.array(), 4, 4, StandardCharsets.US_ASCII);
            if (t.equals(type)) return true;
            if (t.equals("IDAT") || t.equals("IEND")) return false;
            pos += 12 + len;
        }
        return false;
    }

    private static ImageHeader jpeg(FileChannel ch, long size) throws ImageException, IOException {
        long pos = 2;
        int orientation = 1;
        ByteBuffer m = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN);
        for (int guard = 0; guard < 10_000; guard++) {
            m.clear();
            readFully(ch, m, pos);
            if (m.position() < 4) throw new ImageException("truncated JPEG: no frame header before end of file");
            int marker0 = m.get(0) & 0xFF;
            int marker = m.get(1) & 0xFF;
            if (marker0 != 0xFF) throw new ImageException("corrupt JPEG: bad marker at byte " + pos);
            if (marker == 0xFF) { pos++; continue; } // fill byte
            if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) { pos += 2; continue; }
            if (marker == 0xD9 || marker == 0xDA) throw new ImageException("corrupt JPEG: no frame header before image data");
            int len = m.getShort(2) & 0xFFFF;
            if (len < 2) throw new ImageException("corrupt JPEG: segment length " + len + " at byte " + pos);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                ByteBuffer s = ByteBuffer.allocate(6).order(ByteOrder.BIG_ENDIAN);
                readFully(ch, s, pos + 4);
                if (s.position() < 6) throw new ImageException("truncated JPEG frame header");
                int precision = s.get(0) & 0xFF;
                int h = s.getShort(1) & 0xFFFF;
                int w = s.getShort(3) & 0xFFFF;
                int comps = s.get(5) & 0xFF;
                if (w == 0 || h == 0) throw new ImageException("JPEG header declares an impossible size " + w + "x" + h);
                return new ImageHeader(ImageFormat.JPEG, w, h, orientation, false, precision > 8, comps == 4, comps == 1);
            }
            if (marker == 0xE1 && len > 14) {
                ByteBuffer app = ByteBuffer.allocate(Math.min(len - 2, 65_533));
                readFully(ch, app, pos + 4);
                int o = exifOrientation(app.array(), app.position());
                if (o > 0) orientation = o;
            }
            pos += 2 + len;
            if (pos >= size) throw new ImageException("truncated JPEG: no frame header before end of file");
        }
        throw new ImageException("corrupt JPEG: too many segments");
    }

    /** The orientation tag (0x0112) of an APP1 Exif segment, or 0 when absent or unreadable. */
    static int exifOrientation(byte[] a, int n) {
        if (n < 14 || !(a[0] == 'E' && a[1] == 'x' && a[2] == 'i' && a[3] == 'f' && a[4] == 0 && a[5] == 0)) return 0;
        int t = 6;
        ByteOrder order;
        if (a[t] == 'I' && a[t + 1] == 'I') order = ByteOrder.LITTLE_ENDIAN;
        else if (a[t] == 'M' && a[t + 1] == 'M') order = ByteOrder.BIG_ENDIAN;
        else return 0;
        ByteBuffer bb = ByteBuffer.wrap(a, 0, n).order(order);
        try {
            long ifd = Integer.toUnsignedLong(bb.getInt(t + 4));
            if (ifd > n) return 0;
            int count = bb.getShort(t + (int) ifd) & 0xFFFF;
            for (int i = 0; i < count; i++) {
                int e = t + (int) ifd + 2 + i * 12;
                if (e + 12 > n) return 0;
                int tag = bb.getShort(e) & 0xFFFF;
                if (tag == 0x0112) {
                    int v = bb.getShort(e + 8) & 0xFFFF;
                    return v >= 1 && v <= 8 ? v : 0;
                }
            }
        } catch (IndexOutOfBoundsException e) {
            return 0;
        }
        return 0;
    }

    private static ImageHeader webp(FileChannel ch, long size) throws ImageException, IOException {
        ByteBuffer c = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, c, 12);
        if (c.position() < 30) throw new ImageException("truncated WebP header");
        byte[] a = c.array();
        String chunk = new String(a, 0, 4, StandardCharsets.US_ASCII);
        switch (chunk) {
            case "VP8 " -> {
                // frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height
                if ((a[11] & 0xFF) != 0x9D || (a[12] & 0xFF) != 0x01 || (a[13] & 0xFF) != 0x2A) {
                    throw new ImageException("corrupt WebP (VP8) header");
                }
                int w = c.getShort(14) & 0x3FFF;
                int h = c.getShort(16) & 0x3FFF;
                return checked(new ImageHeader(ImageFormat.WEBP, w, h, 1, false, false, false, false));
            }
            case "VP8L" -> {
                if ((a[8] & 0xFF) != 0x2F) throw new ImageException("corrupt WebP (VP8L) header");
                int bits = c.getInt(9);
                int w = (bits & 0x3FFF) + 1;
                int h = ((bits >>> 14) & 0x3FFF) + 1;
                boolean alpha = ((bits >>> 28) & 1) == 1;
                return checked(new ImageHeader(ImageFormat.WEBP, w, h, 1, alpha, false, false, false));
            }
            case "VP8X" -> {
                boolean alpha = (a[8] & 0x10) != 0;
                int w = 1 + ((a[12] & 0xFF) | (a[13] & 0xFF) << 8 | (a[14] & 0xFF) << 16);
                int h = 1 + ((a[15] & 0xFF) | (a[16] & 0xFF) << 8 | (a[17] & 0xFF) << 16);
                return checked(new ImageHeader(ImageFormat.WEBP, w, h, 1, alpha, false, false, false));
            }
            default -> throw new ImageException("unsupported WebP chunk \"" + chunk.strip() + "\"");
        }
    }

    private static ImageHeader checked(ImageHeader h) throws ImageException {
        if (h.width() <= 0 || h.height() <= 0) throw new ImageException("WebP header declares an impossible size");
        return h;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) break;
        }
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[i] != prefix[i]) return false;
        return true;
    }

    /** A short, safe description of unknown leading bytes: "text starting '<!DOCTYPE'" or hex. */
    private static String describe(byte[] b, int n) {
        int k = Math.min(n, 16);
        boolean text = true;
        for (int i = 0; i < k; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x09 || (c > 0x0D && c < 0x20) || c > 0x7E) { text = false; break; }
        }
        if (text) {
            String s = new String(b, 0, k, StandardCharsets.US_ASCII).replaceAll("[\\r\\n\\t]", " ").strip();
            return (s.startsWith("<") ? "looks like HTML/XML text" : "looks like text") + " starting \"" + s.replaceAll("[^A-Za-z0-9 <>!/._-]", "?") + "\"";
        }
        StringBuilder hex = new StringBuilder("starts with bytes");
        for (int i = 0; i < Math.min(k, 8); i++) hex.append(String.format(" %02x", b[i] & 0xFF));
        return hex.toString();
    }
}
