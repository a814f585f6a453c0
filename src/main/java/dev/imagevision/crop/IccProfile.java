package dev.imagevision.crop;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBufferByte;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The colour profile embedded in a source, and the conversion to sRGB it calls for. Variants carry
 * no metadata, so a browser shows them as sRGB: an Adobe RGB or Display P3 photo has to be converted,
 * or its colours come out dull. Most files carry no profile or an sRGB one; nothing is done for them.
 * Whether a profile is sRGB is decided by what it does, never by what it is called: a profile named
 * "sRGB" with other primaries or another tone curve is converted, an sRGB profile under another
 * name is left alone. The conversion is the JDK's (LittleCMS) and runs on the small outputs, never
 * the full image.
 */
final class IccProfile {
    private static final int MAX_PROFILE = 4 << 20;
    /** Levels tried per channel: every combination, deep shadows (where tone curves differ most) to white. */
    private static final int[] PROBE_LEVELS = {0, 4, 10, 24, 40, 64, 90, 120, 150, 180, 210, 235, 255};
    /** Within one level of 255 everywhere, a conversion changes nothing anyone could see: it is skipped. */
    static final int SAME_COLOUR = 1;

    private IccProfile() {}

    /** The profile bytes embedded in the file (JPEG APP2, PNG iCCP, WebP ICCP), or null. Unreadable means none. */
    static byte[] read(Path file, ImageFormat format) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return switch (format) {
                case JPEG -> jpeg(ch);
                case PNG -> png(ch);
                case WEBP -> webp(ch);
            };
        } catch (IOException | RuntimeException | DataFormatException e) {
            return null;
        }
    }

    /**
     * A conversion of BGR-ordered 3-band rasters to sRGB, or null when none is needed: no profile, a
     * profile whose conversion to sRGB leaves every colour as it is (an sRGB profile, whatever its
     * name), a profile that is not RGB (grey and CMYK sources are converted by the decoder), or one the
     * JDK cannot parse.
     */
    static ColorConvertOp toSrgb(byte[] icc) {
        if (icc == null) return null;
        try {
            ICC_Profile p = ICC_Profile.getInstance(icc);
            if (p.getColorSpaceType() != ColorSpace.TYPE_RGB) return null;
            ColorConvertOp op = new ColorConvertOp(new ICC_ColorSpace(p), ColorSpace.getInstance(ColorSpace.CS_sRGB), null);
            return largestChange(op) <= SAME_COLOUR ? null : op;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * How far the conversion moves any colour of a 13×13×13 grid, in levels of 255: the profile's
     * primaries, white, tone curves and tables all show in it, however the profile states them.
     */
    static int largestChange(ColorConvertOp op) {
        int n = PROBE_LEVELS.length;
        BufferedImage probe = new BufferedImage(n * n * n, 1, BufferedImage.TYPE_3BYTE_BGR);
        byte[] in = ((DataBufferByte) probe.getRaster().getDataBuffer()).getData();
        int i = 0;
        for (int r : PROBE_LEVELS) {
            for (int g : PROBE_LEVELS) {
                for (int b : PROBE_LEVELS) {
                    in[i++] = (byte) b;
                    in[i++] = (byte) g;
                    in[i++] = (byte) r;
                }
            }
        }
        WritableRaster out = probe.getRaster().createCompatibleWritableRaster();
        op.filter(probe.getRaster(), out); // the very call a conversion makes (OpenCvCodec.convert)
        byte[] converted = ((DataBufferByte) out.getDataBuffer()).getData();
        int largest = 0;
        for (int k = 0; k < in.length; k++) largest = Math.max(largest, Math.abs((in[k] & 0xFF) - (converted[k] & 0xFF)));
        return largest;
    }

    /**
     * What a profile calls itself: the ASCII text of a 'desc' tag, or the first record of a v4 'mluc'
     * tag. Never used to decide anything (see {@link #toSrgb}); tests name their fixtures by it.
     */
    static String description(byte[] tag) {
        if (tag == null || tag.length < 12) return null;
        String type = new String(tag, 0, 4, StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.wrap(tag).order(ByteOrder.BIG_ENDIAN);
        if (type.equals("desc")) {
            int n = Math.min(b.getInt(8), tag.length - 12);
            return n <= 0 ? null : new String(tag, 12, n, StandardCharsets.US_ASCII).replace("\0", "");
        }
        if (type.equals("mluc") && tag.length >= 28) {
            int len = b.getInt(20);
            int off = b.getInt(24);
            if (off < 0 || len < 0 || off + len > tag.length) return null;
            return new String(tag, off, len, StandardCharsets.UTF_16BE);
        }
        return null;
    }

    private static byte[] jpeg(FileChannel ch) throws IOException {
        TreeMap<Integer, byte[]> chunks = new TreeMap<>();
        long pos = 2;
        ByteBuffer m = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN);
        for (int guard = 0; guard < 10_000; guard++) {
            m.clear();
            if (ch.read(m, pos) < 4) break;
            if ((m.get(0) & 0xFF) != 0xFF) break;
            int marker = m.get(1) & 0xFF;
            if (marker == 0xFF) { pos++; continue; }
            if (marker == 0xDA || marker == 0xD9 || (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)) break;
            int len = m.getShort(2) & 0xFFFF;
            if (len < 2) break;
            if (marker == 0xE2 && len > 16) {
                ByteBuffer seg = ByteBuffer.allocate(len - 2);
                ch.read(seg, pos + 4);
                byte[] a = seg.array();
                if (new String(a, 0, 12, StandardCharsets.US_ASCII).equals("ICC_PROFILE\0")) {
                    byte[] data = new byte[len - 2 - 14];
                    System.arraycopy(a, 14, data, 0, data.length);
                    chunks.put(a[12] & 0xFF, data);
                }
            }
            pos += 2 + len;
        }
        if (chunks.isEmpty()) return null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] c : chunks.values()) out.write(c);
        return out.toByteArray();
    }

    private static byte[] png(FileChannel ch) throws IOException, DataFormatException {
        long pos = 8;
        ByteBuffer hdr = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < 64 && pos + 8 <= ch.size(); i++) {
            hdr.clear();
            ch.read(hdr, pos);
            long len = Integer.toUnsignedLong(hdr.getInt(0));
            String type = new String(hdr.array(), 4, 4, StandardCharsets.US_ASCII);
            if (type.equals("IDAT") || type.equals("IEND")) return null;
            if (type.equals("iCCP") && len < MAX_PROFILE) {
                ByteBuffer body = ByteBuffer.allocate((int) len);
                ch.read(body, pos + 8);
                byte[] a = body.array();
                int nul = 0;
                while (nul < a.length && a[nul] != 0) nul++;
                if (nul + 2 > a.length) return null;
                Inflater inflater = new Inflater();
                try {
                    inflater.setInput(a, nul + 2, a.length - nul - 2);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    byte[] buf = new byte[8192];
                    while (!inflater.finished() && out.size() < MAX_PROFILE) {
                        int n = inflater.inflate(buf);
                        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
                        out.write(buf, 0, n);
                    }
                    return out.toByteArray();
                } finally {
                    inflater.end();
                }
            }
            pos += 12 + len;
        }
        return null;
    }

    private static byte[] webp(FileChannel ch) throws IOException {
        long pos = 12;
        ByteBuffer hdr = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 16 && pos + 8 <= ch.size(); i++) {
            hdr.clear();
            ch.read(hdr, pos);
            String type = new String(hdr.array(), 0, 4, StandardCharsets.US_ASCII);
            long len = Integer.toUnsignedLong(hdr.getInt(4));
            if (type.equals("ICCP") && len < MAX_PROFILE) {
                ByteBuffer body = ByteBuffer.allocate((int) len);
                ch.read(body, pos + 8);
                return body.array();
            }
            if (!type.equals("VP8X")) return null; // the profile chunk comes right after VP8X, before image data
            pos += 8 + len + (len & 1);
        }
        return null;
    }
}
