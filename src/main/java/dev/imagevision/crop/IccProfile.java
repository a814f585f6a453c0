package dev.imagevision.crop;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.ColorConvertOp;
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
 * The conversion is the JDK's (LittleCMS) and runs on the small outputs, never the full image.
 */
final class IccProfile {
    /** sRGB's red, green and blue colorants (D50-adapted XYZ), as ICC profiles of sRGB state them. */
    private static final double[][] SRGB = {{0.4361, 0.2225, 0.0139}, {0.3851, 0.7169, 0.0971}, {0.1431, 0.0606, 0.7141}};
    private static final int MAX_PROFILE = 4 << 20;

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
     * A conversion of BGR-ordered 3-band rasters to sRGB, or null when none is needed: no profile, an
     * sRGB profile, a profile that is not RGB (grey and CMYK sources are converted by the decoder), or
     * one the JDK cannot parse.
     */
    static ColorConvertOp toSrgb(byte[] icc) {
        if (icc == null) return null;
        try {
            ICC_Profile p = ICC_Profile.getInstance(icc);
            if (p.getColorSpaceType() != ColorSpace.TYPE_RGB || isSrgb(p)) return null;
            return new ColorConvertOp(new ICC_ColorSpace(p), ColorSpace.getInstance(ColorSpace.CS_sRGB), null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** sRGB by name or by colorants (within 0.002), however it is spelled. */
    static boolean isSrgb(ICC_Profile p) {
        String desc = description(p.getData(ICC_Profile.icSigProfileDescriptionTag));
        if (desc != null && desc.contains("sRGB")) return true;
        int[] tags = {ICC_Profile.icSigRedColorantTag, ICC_Profile.icSigGreenColorantTag, ICC_Profile.icSigBlueColorantTag};
        for (int i = 0; i < 3; i++) {
            byte[] xyz = p.getData(tags[i]);
            if (xyz == null || xyz.length < 20) return false;
            ByteBuffer b = ByteBuffer.wrap(xyz).order(ByteOrder.BIG_ENDIAN);
            for (int c = 0; c < 3; c++) {
                double v = b.getInt(8 + 4 * c) / 65536.0;
                if (Math.abs(v - SRGB[i][c]) > 0.002) return false;
            }
        }
        return true;
    }

    /** The ASCII text of a 'desc' tag, or the first record of a v4 'mluc' tag. */
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
