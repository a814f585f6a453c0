package dev.imagevision.reliability;

import dev.imagevision.crop.CropSpec;
import dev.imagevision.crop.ImageException;
import dev.imagevision.crop.ImageHeader;
import dev.imagevision.crop.OpenCvCodec;
import dev.imagevision.crop.VariantCutter;
import dev.imagevision.testing.SampleSite;
import dev.imagevision.vision.FocalPoint;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import net.jqwik.api.Tag;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_PROGRESSIVE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

/**
 * The decoders' entry points on arbitrary and mutated bytes: the header sniffer, the pixel guard,
 * {@code OpenCvCodec.decodeBgr} (what the providers decode with) and {@link VariantCutter#cut} (the
 * crop stage). Whatever the bytes: the only failure is {@link ImageException}; nothing hangs past
 * the bound; and nothing comes out bigger than the guard allows, because a header over it is
 * refused before any pixel is decoded and a decode that disagrees with its header is refused.
 * A JVM crash in native code would take the test fork down, which fails the build.
 *
 * <p>Run by {@link DecoderFuzzTest} in a JVM of its own: libpng and libjpeg print every damaged
 * chunk they meet on the process's own stderr (hundreds of lines for these mutants), which no
 * Java stream can catch; there they land in a file, not in the build's output.
 */
public class DecoderFuzzChecks {
    /** A small guard, so mutated dimensions cross it often and a pass cannot mean "decoded a huge image". */
    static final long GUARD = 4_000_000;
    static final List<CropSpec> SPECS = List.of(new CropSpec("1x1", 1, 1, 128, 80), new CropSpec("16x9", 16, 9, 192, 80));

    static Path dir;
    static List<byte[]> seeds;
    static Bounded bounded;

    @BeforeContainer
    static void seeds() throws IOException {
        dir = Files.createTempDirectory("decoder-fuzz");
        bounded = new Bounded(Duration.ofSeconds(20));
        byte[] photo = Files.readAllBytes(SampleSite.source().resolve("static/images/missions/artemis3/02.jpg"));
        try (Mat small = new Mat(48, 64, CV_8UC3, new Scalar(40, 120, 200, 0))) {
            seeds = List.of(
                    HostileSite.encode(small, ".jpg"),
                    HostileSite.encode(small, ".png"),
                    HostileSite.encode(small, ".webp"),
                    HostileSite.sixteenBitPng(HostileSite.encode(small, ".png")),
                    HostileSite.palettePng(HostileSite.encode(small, ".png")),
                    HostileSite.resource("/crop/cmyk-quadrants.jpg"),
                    lossless(small),
                    Arrays.copyOf(photo, photo.length), // real camera file: EXIF, JFIF, 640x426
                    progressive(photo)); // its pixels as a progressive JPEG: the 1/8 decode edits its scans
        }
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        bounded.close();
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** The same pixels as a progressive JPEG, whose 1/8-scale decode goes through {@code DcScans}. */
    static byte[] progressive(byte[] jpeg) {
        try (BytePointer in = new BytePointer(jpeg); Mat buf = new Mat(1, jpeg.length, CV_8U, in);
             Mat pixels = imdecode(buf, IMREAD_COLOR); BytePointer out = new BytePointer();
             IntPointer params = new IntPointer(IMWRITE_JPEG_PROGRESSIVE, 1)) {
            imencode(".jpg", pixels, out, params);
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }

    /** A lossless WebP (VP8L), the third WebP header layout next to VP8 and VP8X. */
    static byte[] lossless(Mat m) {
        try (var out = new org.bytedeco.javacpp.BytePointer();
             var params = new org.bytedeco.javacpp.IntPointer(org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY, 101)) {
            org.bytedeco.opencv.global.opencv_imgcodecs.imencode(".webp", m, out, params);
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }

    @Property(tries = 300, seed = "8001", shrinking = ShrinkingMode.BOUNDED)
    void arbitraryBytesFailOnlyAsImageException(@ForAll @Size(max = 1024) byte[] bytes) throws Exception {
        decodeEverywhere(bytes);
    }

    @Property(tries = 300, seed = "8002", shrinking = ShrinkingMode.BOUNDED)
    void arbitraryBytesBehindARealSignature(@ForAll("signatures") byte[] prefix, @ForAll @Size(max = 256) byte[] rest)
            throws Exception {
        byte[] bytes = Arrays.copyOf(prefix, prefix.length + rest.length);
        System.arraycopy(rest, 0, bytes, prefix.length, rest.length);
        decodeEverywhere(bytes);
    }

    @Property(tries = 700, seed = "8003", shrinking = ShrinkingMode.BOUNDED)
    void mutatedRealImagesFailOnlyAsImageExceptionAndStayWithinTheGuard(@ForAll("mutants") byte[] bytes) throws Exception {
        Statistics.collect(decodeEverywhere(bytes));
        // the mutants reach every layer, so a pass means something
        Statistics.coverage(c -> {
            c.check("header refused").percentage(p -> p > 5);
            c.check("guard refused").percentage(p -> p > 2);
            c.check("decode refused").percentage(p -> p > 5);
            c.check("decoded").percentage(p -> p > 5);
        });
    }

    @Provide
    Arbitrary<byte[]> signatures() {
        return Arbitraries.of(
                new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
                new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'},
                "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1),
                "RIFF\0\0\0\0WEBPVP8L".getBytes(StandardCharsets.ISO_8859_1),
                "RIFF\0\0\0\0WEBPVP8X".getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A real image with one to four mutations: bit flips, cuts, blown-up size fields, splices, junk. */
    @Provide
    Arbitrary<byte[]> mutants() {
        return Combinators.combine(Arbitraries.integers().between(0, seeds.size() - 1), Arbitraries.longs(),
                Arbitraries.integers().between(1, 4)).as((which, seed, n) -> {
            Random r = new Random(seed);
            byte[] b = seeds.get(which).clone();
            for (int i = 0; i < n; i++) b = mutate(b, r);
            return b;
        });
    }

    static byte[] mutate(byte[] b, Random r) {
        if (b.length == 0) return b;
        int headerEnd = Math.min(b.length, 200); // most mutations land where the parsers look
        switch (r.nextInt(7)) {
            case 0 -> { // bit flips
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    int at = r.nextInt(4) == 0 ? r.nextInt(b.length) : r.nextInt(headerEnd);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
            case 1 -> { // truncation
                return Arrays.copyOf(b, r.nextInt(b.length));
            }
            case 2 -> { // dimension fields blown up (or zeroed, or negative)
                return blowUpSize(b, r);
            }
            case 3 -> { // a random byte range overwritten with 0xFF, 0x00 or noise
                int at = r.nextInt(headerEnd);
                int len = Math.min(b.length - at, 1 + r.nextInt(16));
                int kind = r.nextInt(3);
                for (int i = at; i < at + len; i++) b[i] = (byte) (kind == 0 ? 0xFF : kind == 1 ? 0 : r.nextInt(256));
                return b;
            }
            case 4 -> { // a slice of the file spliced in again (repeated chunks and segments)
                int from = r.nextInt(b.length);
                int len = Math.min(b.length - from, 1 + r.nextInt(64));
                int at = r.nextInt(headerEnd);
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, from, out, at, len);
                System.arraycopy(b, at, out, at + len, b.length - at);
                return out;
            }
            case 5 -> { // segment/chunk length fields set to extremes
                int at = r.nextInt(Math.max(1, headerEnd - 4));
                int v = switch (r.nextInt(4)) {
                    case 0 -> 0;
                    case 1 -> 0xFFFF;
                    case 2 -> 2;
                    default -> r.nextInt();
                };
                b[at] = (byte) (v >>> 8);
                b[at + 1] = (byte) v;
                return b;
            }
            default -> { // junk appended after the end
                byte[] tail = new byte[r.nextInt(64)];
                r.nextBytes(tail);
                byte[] out = Arrays.copyOf(b, b.length + tail.length);
                System.arraycopy(tail, 0, out, b.length, tail.length);
                return out;
            }
        }
    }

    /** Writes extreme values into the fields the header parser reads as width and height. */
    static byte[] blowUpSize(byte[] b, Random r) {
        int[] big = {0, 1, 0x3FFF, 0x4000, 0x7FFF, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 46_341, 2_001};
        int w = big[r.nextInt(big.length)];
        int h = big[r.nextInt(big.length)];
        if (b.length > 24 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') { // IHDR width, height (big-endian int)
            ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN).putInt(16, w).putInt(20, h);
        } else if (b.length > 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) { // first SOFn: height, width (16 bit)
            for (int i = 2; i + 9 < b.length; i++) {
                int m = b[i + 1] & 0xFF;
                if ((b[i] & 0xFF) == 0xFF && m >= 0xC0 && m <= 0xC2) {
                    b[i + 5] = (byte) (h >>> 8);
                    b[i + 6] = (byte) h;
                    b[i + 7] = (byte) (w >>> 8);
                    b[i + 8] = (byte) w;
                    break;
                }
            }
        } else if (b.length > 30 && b[8] == 'W' && b[12] == 'V') {
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            switch (b[15]) {
                case ' ' -> bb.putShort(26, (short) w).putShort(28, (short) h); // VP8: 14-bit sizes + scale bits
                case 'L' -> bb.putInt(21, (w & 0x3FFF) | (h & 0x3FFF) << 14 | (r.nextInt(16) << 28)); // VP8L
                case 'X' -> { // VP8X: 24-bit canvas size minus one
                    b[24] = (byte) w; b[25] = (byte) (w >>> 8); b[26] = (byte) (w >>> 16);
                    b[27] = (byte) h; b[28] = (byte) (h >>> 8); b[29] = (byte) (h >>> 16);
                }
                default -> b[r.nextInt(b.length)] ^= 0x40;
            }
        }
        return b;
    }

    /**
     * Every entry point on these bytes; fails on anything but a clean refusal or a result inside the
     * guard. Returns how far the bytes got.
     */
    static String decodeEverywhere(byte[] bytes) throws Exception {
        Path file = Files.write(dir.resolve("try.img"), bytes);
        return bounded.run("decoding " + bytes.length + " bytes", () -> {
            ImageHeader h;
            try {
                h = ImageHeader.read(file);
            } catch (ImageException refused) {
                return "header refused";
            }
            assertThat(h.width()).as("header width").isPositive();
            assertThat(h.height()).as("header height").isPositive();
            assertThat(h.orientation()).isBetween(1, 8);
            try {
                VariantCutter.guard(h, GUARD);
            } catch (ImageException refused) {
                assertThat(h.pixels()).as("only a header over the guard is refused by it").isGreaterThan(GUARD);
                return "guard refused";
            }
            boolean decoded = false;
            for (int reduction : new int[] {1, 4, 8}) {
                try (Mat m = dev.imagevision.testing.Runs.CODEC.decodeBgr(bytes, h, reduction)) {
                    assertThat((long) m.cols() * m.rows()).as("decoded pixels").isLessThanOrEqualTo(GUARD);
                    assertThat(m.channels()).isEqualTo(3);
                    decoded = true;
                } catch (ImageException refused) {
                    // a clean refusal
                }
            }
            try {
                VariantCutter.Cut cut = new VariantCutter(new OpenCvCodec(), GUARD).cut(file, FocalPoint.CENTRE, null, SPECS);
                assertThat(cut.variants()).hasSize(SPECS.size());
                assertThat((long) cut.sourceWidth() * cut.sourceHeight()).isLessThanOrEqualTo(GUARD);
                decoded = true;
            } catch (ImageException refused) {
                // a clean refusal
            }
            return decoded ? "decoded" : "decode refused";
        });
    }
}
