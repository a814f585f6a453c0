package dev.imagevision.crop;

import java.io.ByteArrayOutputStream;

/**
 * The DC-only stream of a progressive JPEG, for a decode at 1/8 scale. There a JPEG block becomes one
 * pixel whose value is the block's DC coefficient alone; a progressive file stores DC in scans of
 * its own, so dropping every AC scan (most of the file) gives the same 1/8-scale pixels for a
 * fraction of the entropy decoding (12-megapixel progressive files: 100-210 ms down to 30-55 ms).
 * A baseline file interleaves DC and AC in one scan and is left as it is.
 * <p>
 * A decoder that sees AC coefficients still missing "smooths" the blocks, guessing AC from the
 * neighbours' DC and, when no AC arrived at all, changing DC too: a blurred picture, and slower. So
 * the stream ends with one AC scan per full-resolution component that says, in a few bytes (runs of
 * end-of-block), that every AC coefficient is exactly zero; the decoder then takes DC as it is.
 * <p>
 * Why here and not in the codec: libjpeg can stop after the DC scans (buffered-image mode, block
 * smoothing off), but neither OpenCV nor any binding on Maven Central exposes that, and the JDK's
 * reader takes 0.5-1.7 s per file with {@code setSourceProgressivePasses}. This class is a container
 * edit: it copies the file's own segments and scans byte for byte, and what it writes is one Huffman
 * table and end-of-band runs, nothing that encodes a pixel. Decoding stays libjpeg's. Anything it
 * does not fully understand (baseline, arithmetic coding, restart intervals, a malformed or cut
 * file) is returned unchanged, and {@link OpenCvCodec#decodeBgr} decodes the original whenever the
 * edited stream fails. {@code DcScansTest} holds the decode of the edited stream to be pixel-identical
 * to the original's.
 */
final class DcScans {
    private DcScans() {}

    private static final int SOI = 0xD8, EOI = 0xD9, SOS = 0xDA, SOF2 = 0xC2;

    /**
     * The file with its AC scans removed when it is a Huffman-coded progressive JPEG that parses
     * cleanly; otherwise the input itself (a baseline, arithmetic-coded or malformed file is never
     * rewritten, so the codec sees and reports it as it is).
     */
    static byte[] keepDc(byte[] jpeg) {
        if (jpeg.length < 4 || u8(jpeg, 0) != 0xFF || u8(jpeg, 1) != SOI) return jpeg;
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length / 4);
        out.write(jpeg, 0, 2);
        boolean progressive = false, dropped = false;
        Frame frame = null;
        int pos = 2;
        while (true) {
            if (pos + 1 >= jpeg.length || u8(jpeg, pos) != 0xFF) return jpeg;
            while (pos + 1 < jpeg.length && u8(jpeg, pos + 1) == 0xFF) pos++; // fill bytes
            if (pos + 1 >= jpeg.length) return jpeg;
            int marker = u8(jpeg, pos + 1);
            if (marker == EOI) break;
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) return jpeg; // stray standalone marker
            if (pos + 3 >= jpeg.length) return jpeg;
            int length = u8(jpeg, pos + 2) << 8 | u8(jpeg, pos + 3);
            int end = pos + 2 + length;
            if (length < 2 || end > jpeg.length) return jpeg;
            if (sof(marker)) {
                if (marker != SOF2) return jpeg; // baseline, lossless or arithmetic: nothing to gain or not ours to edit
                progressive = true;
                frame = Frame.parse(jpeg, pos + 4, end);
                if (frame == null) return jpeg;
            }
            // restart markers would have to be placed in the AC scans written below: leave such files alone
            if (marker == DRI && (length != 4 || (u8(jpeg, pos + 4) | u8(jpeg, pos + 5)) != 0)) return jpeg;
            if (marker != SOS) {
                out.write(jpeg, pos, end - pos);
                pos = end;
                continue;
            }
            if (!progressive || length < 6) return jpeg;
            int components = u8(jpeg, pos + 4);
            int spectralStart = pos + 5 + 2 * components;
            if (spectralStart >= end) return jpeg;
            int dataEnd = entropyEnd(jpeg, end);
            if (dataEnd < 0) return jpeg;
            // DC scans stay; so do a subsampled component's AC scans: the decoder scales chroma up in its
            // inverse DCT (2 × 2 at 1/8 scale), which reads the lowest AC coefficients
            if (u8(jpeg, spectralStart) == 0 || !frame.fullResolution(u8(jpeg, pos + 5))) {
                out.write(jpeg, pos, dataEnd - pos);
            } else {
                dropped = true;
            }
            pos = dataEnd;
        }
        if (!progressive || !dropped || frame == null) return jpeg;
        writeZeroAc(out, frame);
        out.write(0xFF);
        out.write(EOI);
        return out.toByteArray();
    }

    private static final int DHT = 0xC4, DRI = 0xDD;
    /** Longest end-of-block run one symbol can state (EOB14 with 14 extra bits). */
    static final int MAX_RUN = 32767;

    /** Sampling of a progressive frame: per component its id and its size in 8 × 8 blocks. */
    record Frame(int[] ids, int[] blocksWide, int[] blocksHigh, boolean[] full) {
        boolean fullResolution(int id) {
            for (int i = 0; i < ids.length; i++) if (ids[i] == id) return full[i];
            return false;
        }

        static Frame parse(byte[] b, int at, int end) {
            if (at + 6 > end || u8(b, at) != 8) return null; // 8-bit samples only
            int height = u8(b, at + 1) << 8 | u8(b, at + 2);
            int width = u8(b, at + 3) << 8 | u8(b, at + 4);
            int n = u8(b, at + 5);
            if (height == 0 || width == 0 || n == 0 || at + 6 + 3 * n > end) return null;
            int[] ids = new int[n], h = new int[n], v = new int[n];
            int hMax = 1, vMax = 1;
            for (int i = 0; i < n; i++) {
                ids[i] = u8(b, at + 6 + 3 * i);
                h[i] = u8(b, at + 7 + 3 * i) >> 4;
                v[i] = u8(b, at + 7 + 3 * i) & 15;
                if (h[i] == 0 || v[i] == 0) return null;
                hMax = Math.max(hMax, h[i]);
                vMax = Math.max(vMax, v[i]);
            }
            int[] bw = new int[n], bh = new int[n];
            boolean[] full = new boolean[n];
            for (int i = 0; i < n; i++) {
                full[i] = h[i] == hMax && v[i] == vMax;
                // a non-interleaved scan covers the component's own blocks, not the MCU padding
                bw[i] = ceilDiv(width * h[i], hMax * 8);
                bh[i] = ceilDiv(height * v[i], vMax * 8);
            }
            return new Frame(ids, bw, bh, full);
        }
    }

    /**
     * An AC Huffman table of the fifteen end-of-block-run symbols (run class r in the high nibble),
     * each a 4-bit code equal to r, and per component a first-pass AC scan over coefficients 1–63 at
     * full precision whose every block is inside an end-of-block run.
     */
    static void writeZeroAc(ByteArrayOutputStream out, Frame f) {
        out.write(0xFF);
        out.write(DHT);
        int length = 2 + 1 + 16 + 15;
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write(0x10); // class AC, table 0
        for (int bits = 1; bits <= 16; bits++) out.write(bits == 4 ? 15 : 0);
        for (int r = 0; r < 15; r++) out.write(r << 4);
        for (int c = 0; c < f.ids().length; c++) {
            if (!f.full()[c]) continue; // its own AC scans were kept
            out.write(0xFF);
            out.write(SOS);
            out.write(0);
            out.write(8);
            out.write(1); // one component
            out.write(f.ids()[c]);
            out.write(0x00); // DC table 0 (unused), AC table 0
            out.write(1); // Ss
            out.write(63); // Se
            out.write(0x00); // Ah = 0, Al = 0: these coefficients are now known exactly
            Bits bits = new Bits(out);
            long blocks = (long) f.blocksWide()[c] * f.blocksHigh()[c];
            while (blocks > 0) {
                int run = (int) Math.min(blocks, MAX_RUN);
                int r = 31 - Integer.numberOfLeadingZeros(run);
                bits.put(r, 4);
                bits.put(run - (1 << r), r);
                blocks -= run;
            }
            bits.flush();
        }
    }

    /** Entropy-coded bits, most significant first, with a zero byte stuffed after every 0xFF and 1-bit padding. */
    private static final class Bits {
        private final ByteArrayOutputStream out;
        private int acc, n;

        Bits(ByteArrayOutputStream out) {
            this.out = out;
        }

        void put(int value, int count) {
            for (int i = count - 1; i >= 0; i--) {
                acc = acc << 1 | (value >> i & 1);
                if (++n == 8) emit();
            }
        }

        void flush() {
            while (n != 0) {
                acc = acc << 1 | 1;
                if (++n == 8) emit();
            }
        }

        private void emit() {
            out.write(acc);
            if (acc == 0xFF) out.write(0);
            acc = 0;
            n = 0;
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Start of the marker that ends the entropy-coded data beginning at {@code from}, or -1 if there is none. */
    static int entropyEnd(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (u8(b, i) != 0xFF) continue;
            int next = u8(b, i + 1);
            if (next == 0x00 || (next >= 0xD0 && next <= 0xD7) || next == 0xFF) continue; // stuffing, restart, fill
            return i;
        }
        return -1;
    }

    private static boolean sof(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }
}
