package dev.imagevision.crop;

import dev.imagevision.vision.FocalPoint;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.imagevision.crop.TestImages.QUADRANTS_BGR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_16UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_16UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_180;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_CLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_COUNTERCLOCKWISE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY;

/** Every input kind comes out as the right pixels in an 8-bit sRGB JPEG without metadata. */
class OpenCvCodecTest {
    private static final long GUARD = 268_402_689L;
    private final VariantCutter cutter = new VariantCutter(new OpenCvCodec(), GUARD);

    @TempDir
    Path dir;

    /** The stored image for an orientation: the displayed image turned back, so that the viewer's turn restores it. */
    private static Mat storedFor(Mat displayed, int orientation) {
        Mat out = new Mat();
        switch (orientation) {
            case 1 -> displayed.copyTo(out);
            case 2 -> org.bytedeco.opencv.global.opencv_core.flip(displayed, out, 1);
            case 3 -> org.bytedeco.opencv.global.opencv_core.rotate(displayed, out, ROTATE_180);
            case 4 -> org.bytedeco.opencv.global.opencv_core.flip(displayed, out, 0);
            case 5 -> org.bytedeco.opencv.global.opencv_core.transpose(displayed, out);
            case 6 -> org.bytedeco.opencv.global.opencv_core.rotate(displayed, out, ROTATE_90_COUNTERCLOCKWISE);
            case 7 -> {
                Mat t = new Mat();
                org.bytedeco.opencv.global.opencv_core.flip(displayed, t, -1);
                org.bytedeco.opencv.global.opencv_core.transpose(t, out);
            }
            default -> org.bytedeco.opencv.global.opencv_core.rotate(displayed, out, ROTATE_90_CLOCKWISE);
        }
        return out;
    }

    private static void assertColour(int[] actualBgr, int[] expectedBgr, int tolerance, String where) {
        for (int c = 0; c < 3; c++) {
            assertThat(Math.abs(actualBgr[c] - expectedBgr[c])).as("%s channel %d: %s vs %s", where, c,
                    java.util.Arrays.toString(actualBgr), java.util.Arrays.toString(expectedBgr)).isLessThanOrEqualTo(tolerance);
        }
    }

    /** Quadrant colours at the centres of the four quadrants of an output. */
    private static void assertQuadrants(Mat out, int tolerance) {
        int w = out.cols(), h = out.rows();
        assertColour(TestImages.bgr(out, w / 4, h / 4), QUADRANTS_BGR[0], tolerance, "top-left");
        assertColour(TestImages.bgr(out, 3 * w / 4, h / 4), QUADRANTS_BGR[1], tolerance, "top-right");
        assertColour(TestImages.bgr(out, w / 4, 3 * h / 4), QUADRANTS_BGR[2], tolerance, "bottom-left");
        assertColour(TestImages.bgr(out, 3 * w / 4, 3 * h / 4), QUADRANTS_BGR[3], tolerance, "bottom-right");
    }

    @ParameterizedTest(name = "EXIF orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void exifOrientationIsAppliedBeforeGeometry(int orientation) throws Exception {
        Mat displayed = TestImages.quadrants(1600, 1200);
        byte[] jpeg = TestImages.withExifOrientation(TestImages.jpeg(storedFor(displayed, orientation), 95), orientation);
        Path file = TestImages.write(dir, "o" + orientation + ".jpg", jpeg);

        ImageHeader h = ImageHeader.read(file);
        assertThat(h.orientation()).isEqualTo(orientation);
        assertThat(h.orientedWidth()).isEqualTo(1600);
        assertThat(h.orientedHeight()).isEqualTo(1200);

        // the whole picture, full size: all four quadrants where the viewer sees them
        VariantCutter.Cut whole = cutter.cut(file, FocalPoint.CENTRE, null, List.of(new CropSpec("4x3", 4, 3, 1600, 95)));
        Mat out = TestImages.decode(whole.variants().get(0).jpeg());
        assertThat(out.cols()).isEqualTo(1600);
        assertThat(out.rows()).isEqualTo(1200);
        assertQuadrants(out, 8);

        // a square around a focal point at the right edge, decoded at 1/8 in the DCT: the right half
        VariantCutter.Plan plan = cutter.plan(file, new FocalPoint(0.95, 0.5), null, List.of(new CropSpec("1x1", 1, 1, 128, 95)));
        assertThat(plan.reduction()).isEqualTo(8);
        assertThat(plan.windows().get(0).x()).isEqualTo(400);
        Mat square = TestImages.decode(cutter.cut(plan).variants().get(0).jpeg());
        assertThat(square.cols()).isEqualTo(128);
        assertColour(TestImages.bgr(square, 120, 10), QUADRANTS_BGR[1], 10, "right edge, top");
        assertColour(TestImages.bgr(square, 120, 118), QUADRANTS_BGR[3], 10, "right edge, bottom");
        assertColour(TestImages.bgr(square, 5, 10), QUADRANTS_BGR[0], 10, "left edge, top");
    }

    @Test
    void exifOrientationMapsWindowsToTheStoredPixelsTheyShow() {
        int sw = 7, sh = 5; // stored size
        for (int o = 1; o <= 8; o++) {
            int ow = ExifOrientation.swapsAxes(o) ? sh : sw;
            int oh = ExifOrientation.swapsAxes(o) ? sw : sh;
            for (int x = 0; x < ow; x++) for (int y = 0; y < oh; y++) for (int w = 1; x + w <= ow; w++) for (int h = 1; y + h <= oh; h++) {
                int[] r = ExifOrientation.storedRect(o, sw, sh, x, y, w, h);
                // every oriented pixel of the window maps inside the stored rectangle, and the areas match
                for (int u = x; u < x + w; u++) for (int v = y; v < y + h; v++) {
                    int[] p = ExifOrientation.storedPixel(o, sw, sh, u, v);
                    assertThat(p[0]).isBetween(r[0], r[0] + r[2] - 1);
                    assertThat(p[1]).isBetween(r[1], r[1] + r[3] - 1);
                }
                assertThat(r[2] * r[3]).isEqualTo(w * h);
            }
        }
    }

    @Test
    void cmykAndYcckJpegsDecodeToTheirColoursNotInverted() throws Exception {
        for (String name : List.of("cmyk-quadrants.jpg", "ycck-quadrants.jpg")) {
            Path file = TestImages.resource(name);
            ImageHeader h = ImageHeader.read(file);
            assertThat(h.cmyk()).as(name).isTrue();
            Mat out = TestImages.decode(cutter.cut(file, FocalPoint.CENTRE, null,
                    List.of(new CropSpec("4x3", 4, 3, 64, 100))).variants().get(0).jpeg());
            assertThat(out.channels()).isEqualTo(3);
            assertQuadrants(out, 8);
        }
    }

    @Test
    void realCmykPhotoMatchesItsRgbOriginal() throws Exception {
        Path file = TestImages.resource("cmyk-photo.jpg");
        Mat out = TestImages.decode(cutter.cut(file, FocalPoint.CENTRE, null,
                List.of(new CropSpec("1x1", 1, 1, 160, 100))).variants().get(0).jpeg());
        Mat reference = org.bytedeco.opencv.global.opencv_imgcodecs.imread(
                TestImages.resource("cmyk-photo-reference.png").toString());
        assertThat(out.cols()).isEqualTo(reference.cols());
        Mat diff = new Mat();
        org.bytedeco.opencv.global.opencv_core.absdiff(out, reference, diff);
        Scalar mean = org.bytedeco.opencv.global.opencv_core.mean(diff);
        for (int c = 0; c < 3; c++) assertThat(mean.get(c)).as("mean error, channel %d", c).isLessThan(4.0);
        // an inverted decode would be off by about 255 - 2v on every sample
    }

    @Test
    void greyImagesBecomeThreeChannelJpegs() throws Exception {
        Mat grey = new Mat(60, 80, CV_8UC1, new Scalar(77, 0, 0, 0));
        for (String ext : List.of(".png", ".jpg")) {
            Path file = TestImages.write(dir, "grey" + ext, TestImages.encode(grey, ext));
            ImageHeader h = ImageHeader.read(file);
            assertThat(h.grey()).isTrue();
            Mat out = TestImages.decode(cutter.cut(file, FocalPoint.CENTRE, null, List.of(new CropSpec("4x3", 4, 3, 80, 95)))
                    .variants().get(0).jpeg());
            assertThat(out.channels()).isEqualTo(3);
            assertColour(TestImages.bgr(out, 40, 30), new int[] {77, 77, 77}, 2, ext);
        }
    }

    @Test
    void sixteenBitPngsComeOutEightBitWithTheSameLevels() throws Exception {
        Mat rgb16 = new Mat(40, 40, CV_16UC3, new Scalar(0x2020, 0x8080, 0xF0F0, 0));
        Mat grey16 = new Mat(40, 40, CV_16UC1, new Scalar(0x4040, 0, 0, 0));
        Path a = TestImages.write(dir, "rgb16.png", TestImages.encode(rgb16, ".png"));
        Path b = TestImages.write(dir, "grey16.png", TestImages.encode(grey16, ".png"));
        assertThat(ImageHeader.read(a).sixteenBit()).isTrue();
        Mat outA = TestImages.decode(cutter.cut(a, FocalPoint.CENTRE, null, List.of(new CropSpec("1x1", 1, 1, 40, 100))).variants().get(0).jpeg());
        Mat outB = TestImages.decode(cutter.cut(b, FocalPoint.CENTRE, null, List.of(new CropSpec("1x1", 1, 1, 40, 100))).variants().get(0).jpeg());
        assertColour(TestImages.bgr(outA, 20, 20), new int[] {0x20, 0x80, 0xF0}, 2, "16-bit colour");
        assertColour(TestImages.bgr(outB, 20, 20), new int[] {0x40, 0x40, 0x40}, 2, "16-bit grey");
    }

    @Test
    void transparencyBehindOneColourIsFlattenedOntoAContrastingGreyNotBlack() throws Exception {
        // left half opaque orange, right half half-transparent orange; PNG and lossless WebP. The opaque
        // content is one light colour (a logo), so the background is the documented dark grey 48
        Mat bgra = new Mat(40, 80, CV_8UC4, new Scalar(20, 140, 250, 255));
        try (var r = new org.bytedeco.opencv.opencv_core.Rect(40, 0, 40, 40); Mat right = new Mat(bgra, r);
             Scalar half = new Scalar(20, 140, 250, 128)) {
            right.put(half);
        }
        Path png = TestImages.write(dir, "alpha.png", TestImages.encode(bgra, ".png"));
        Path webp = TestImages.write(dir, "alpha.webp", TestImages.encode(bgra, ".webp", IMWRITE_WEBP_QUALITY, 101));
        for (Path file : List.of(png, webp)) {
            assertThat(ImageHeader.read(file).hasAlpha()).as(file.toString()).isTrue();
            Mat out = TestImages.decode(cutter.cut(file, FocalPoint.CENTRE, null, List.of(new CropSpec("2x1", 2, 1, 80, 100)))
                    .variants().get(0).jpeg());
            assertThat(out.channels()).isEqualTo(3);
            assertColour(TestImages.bgr(out, 10, 20), new int[] {20, 140, 250}, 3, file + " opaque");
            assertColour(TestImages.bgr(out, 70, 20), new int[] {34, 94, 149}, 3, file + " half transparent over grey 48");
        }
    }

    @Test
    void aTransparentSkyOverAPhotographIsFlattenedOntoThePhotographsMeanColour() {
        // two opaque colours (a landscape's tones) under a fully transparent band
        byte[] px = new byte[4 * 4];
        byte[][] colours = {{10, 60, 120, (byte) 255}, {50, 100, (byte) 200, (byte) 255}, {0, 0, 0, 0}, {0, 0, 0, 0}};
        for (int i = 0; i < 4; i++) System.arraycopy(colours[i], 0, px, 4 * i, 4);
        assertThat(OpenCvCodec.background(px)).containsExactly(30, 80, 160);
        assertThat(OpenCvCodec.background(new byte[] {0, 0, 0, 0})).as("nothing opaque: white").containsExactly(255, 255, 255);
        assertThat(OpenCvCodec.background(new byte[] {5, 5, 5, (byte) 255})).as("dark glyph: white behind it").containsExactly(255, 255, 255);
    }

    @Test
    void palettePngsWithAndWithoutTransparency() throws Exception {
        Path plain = TestImages.write(dir, "palette.png", TestImages.palettePng(64, 32, false));
        Path trns = TestImages.write(dir, "palette-trns.png", TestImages.palettePng(64, 32, true));
        assertThat(ImageHeader.read(trns).hasAlpha()).isTrue();
        Mat a = TestImages.decode(cutter.cut(plain, FocalPoint.CENTRE, null, List.of(new CropSpec("2x1", 2, 1, 64, 100))).variants().get(0).jpeg());
        Mat b = TestImages.decode(cutter.cut(trns, FocalPoint.CENTRE, null, List.of(new CropSpec("2x1", 2, 1, 64, 100))).variants().get(0).jpeg());
        assertColour(TestImages.bgr(a, 8, 16), new int[] {60, 40, 20}, 3, "palette colour 0");
        assertColour(TestImages.bgr(a, 56, 16), new int[] {10, 120, 250}, 3, "palette colour 1");
        assertColour(TestImages.bgr(b, 8, 16), new int[] {48, 48, 48}, 3, "transparent palette entry on the grey behind light content");
        assertColour(TestImages.bgr(b, 56, 16), new int[] {10, 120, 250}, 3, "opaque palette entry");
    }

    @Test
    void webpAndPngBytesNamedJpgAreDecodedByTheirRealType() throws Exception {
        Mat q = TestImages.quadrants(120, 90);
        Path webp = TestImages.write(dir, "really-webp.jpg", TestImages.encode(q, ".webp", IMWRITE_WEBP_QUALITY, 101));
        Path png = TestImages.write(dir, "really-png.jpg", TestImages.encode(q, ".png"));
        assertThat(ImageHeader.read(webp).format()).isEqualTo(ImageFormat.WEBP);
        assertThat(ImageHeader.read(png).format()).isEqualTo(ImageFormat.PNG);
        for (Path file : List.of(webp, png)) {
            Mat out = TestImages.decode(cutter.cut(file, FocalPoint.CENTRE, null, List.of(new CropSpec("4x3", 4, 3, 120, 95)))
                    .variants().get(0).jpeg());
            assertQuadrants(out, 6);
        }
    }

    @Test
    void outputsAreBaselineJfifWithoutMetadataAndByteStable() throws Exception {
        byte[] withExif = TestImages.withExifOrientation(TestImages.jpeg(TestImages.quadrants(900, 600), 90), 1);
        Path file = TestImages.write(dir, "exif.jpg", withExif);
        List<CropSpec> specs = List.of(new CropSpec("1x1", 1, 1, 512, 80), new CropSpec("16x9", 16, 9, 1920, 80));
        VariantCutter.Cut a = cutter.cut(file, new FocalPoint(0.3, 0.6), null, specs);
        VariantCutter.Cut b = new VariantCutter(new OpenCvCodec(), GUARD).cut(file, new FocalPoint(0.3, 0.6), null, specs);
        for (int i = 0; i < specs.size(); i++) {
            byte[] jpeg = a.variants().get(i).jpeg();
            assertThat(jpeg).as("same input, same bytes").isEqualTo(b.variants().get(i).jpeg());
            List<Integer> markers = JpegMarkers.before(jpeg);
            assertThat(markers).as("segments before the image data").contains(0xE0).doesNotContain(0xE1, 0xE2, 0xED, 0xFE);
            assertThat(markers).contains(0xC0); // baseline, 8-bit
            Mat out = TestImages.decode(jpeg);
            assertThat(out.channels()).isEqualTo(3);
        }
    }

    /** The markers of a JPEG up to its first scan. */
    static final class JpegMarkers {
        static List<Integer> before(byte[] b) {
            List<Integer> out = new java.util.ArrayList<>();
            int pos = 2;
            while (pos + 4 <= b.length) {
                int m = b[pos + 1] & 0xFF;
                out.add(m);
                if (m == 0xDA) break;
                pos += 2 + (((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF));
            }
            return out;
        }
    }

    @Test
    void decodedImageIsCheckedAgainstItsHeader() throws IOException {
        Path file = TestImages.write(dir, "q.png", TestImages.encode(TestImages.quadrants(40, 30), ".png"));
        ImageHeader lying = new ImageHeader(ImageFormat.PNG, 41, 30, 1, false, false, false, false);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OpenCvCodec().decode(file, lying, 1))
                .isInstanceOf(ImageException.class).hasMessageContaining("header says 41x30");
        assertThat(Files.exists(file)).isTrue();
    }

    @Test
    void adobeRgbSourcesAreConvertedToSrgb() throws Exception {
        Path file = TestImages.resource("adobergb-patches.jpg");
        Mat out = TestImages.decode(cutter.cut(file, FocalPoint.CENTRE, null, List.of(new CropSpec("4x1", 4, 1, 64, 100)))
                .variants().get(0).jpeg());
        // LittleCMS (Pillow's ImageCms) makes these sRGB values of the Adobe RGB patches (see the fixtures' README)
        int[][] srgbBgr = {{35, 35, 233}, {42, 181, 0}, {205, 68, 34}, {129, 129, 129}};
        for (int i = 0; i < 4; i++) assertColour(TestImages.bgr(out, i * 16 + 8, 8), srgbBgr[i], 4, "patch " + i);
    }

    @Test
    void srgbProfilesAreRecognisedAndLeftAlone() throws Exception {
        byte[] srgb = java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_sRGB).getData();
        assertThat(IccProfile.toSrgb(srgb)).isNull();
        assertThat(IccProfile.toSrgb(null)).isNull();
        assertThat(IccProfile.toSrgb(new byte[] {1, 2, 3})).as("unparsable: left alone").isNull();
        byte[] adobe = IccProfile.read(TestImages.resource("adobergb-patches.jpg"), ImageFormat.JPEG);
        assertThat(IccProfile.description(java.awt.color.ICC_Profile.getInstance(adobe)
                .getData(java.awt.color.ICC_Profile.icSigProfileDescriptionTag))).contains("Adobe RGB");
        assertThat(IccProfile.toSrgb(adobe)).isNotNull();
    }

    @Test
    void pngProfilesAreReadToo() throws Exception {
        byte[] adobe = IccProfile.read(TestImages.resource("adobergb-patches.jpg"), ImageFormat.JPEG);
        Mat red = new Mat(16, 16, org.bytedeco.opencv.global.opencv_core.CV_8UC3, new Scalar(40, 40, 200, 0));
        Path png = TestImages.write(dir, "adobe.png", withIccp(TestImages.encode(red, ".png"), adobe));
        assertThat(java.util.Arrays.equals(IccProfile.read(png, ImageFormat.PNG), adobe)).as("iCCP profile read back").isTrue();
        Mat out = TestImages.decode(cutter.cut(png, FocalPoint.CENTRE, null, List.of(new CropSpec("1x1", 1, 1, 16, 100)))
                .variants().get(0).jpeg());
        assertColour(TestImages.bgr(out, 8, 8), new int[] {35, 35, 233}, 4, "Adobe RGB red in a PNG");
    }

    // ---- a profile is judged by what it does, not by its name -------------------------------------

    /** D50-adapted colorants of Display P3 (as Apple's "Display P3" profile states them). */
    static final double[][] P3 = {{0.5151, 0.2412, -0.0011}, {0.2919, 0.6922, 0.0419}, {0.1572, 0.0666, 0.7841}};
    static final int[] COLORANTS = {java.awt.color.ICC_Profile.icSigRedColorantTag,
            java.awt.color.ICC_Profile.icSigGreenColorantTag, java.awt.color.ICC_Profile.icSigBlueColorantTag};
    static final int[] TRCS = {java.awt.color.ICC_Profile.icSigRedTRCTag, java.awt.color.ICC_Profile.icSigGreenTRCTag,
            java.awt.color.ICC_Profile.icSigBlueTRCTag};

    /** The JDK's sRGB profile (its description: "sRGB built-in"), as an editable copy. */
    static java.awt.color.ICC_Profile srgbCopy() {
        return java.awt.color.ICC_Profile.getInstance(
                java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_sRGB).getData());
    }

    static byte[] xyzTag(double[] v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(20);
        b.put("XYZ ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0);
        for (double d : v) b.putInt((int) Math.round(d * 65536));
        return b.array();
    }

    static byte[] gammaTag(double gamma) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(14);
        b.put("curv".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0).putInt(1).putShort((short) Math.round(gamma * 256));
        return b.array();
    }

    /** A v2 'desc' tag saying {@code name}. */
    static byte[] descTag(String name) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + name.length() + 1 + 4 + 4 + 2 + 1 + 67);
        b.put("desc".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0).putInt(name.length() + 1)
                .put(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 0);
        return b.array(); // no Unicode or ScriptCode text: counts of zero
    }

    static String name(byte[] icc) {
        return IccProfile.description(java.awt.color.ICC_Profile.getInstance(icc)
                .getData(java.awt.color.ICC_Profile.icSigProfileDescriptionTag));
    }

    static double srgbDecode(int v) {
        double x = v / 255.0;
        return x <= 0.04045 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
    }

    static int srgbEncode(double lin) {
        double x = Math.max(0, Math.min(1, lin));
        return (int) Math.round(255 * (x <= 0.0031308 ? x * 12.92 : 1.055 * Math.pow(x, 1 / 2.4) - 0.055));
    }

    /** An RGB colour under Display P3 in sRGB, worked out by hand: sRGB curve, P3 colorants to XYZ, sRGB colorants back. */
    static int[] p3ToSrgbBgr(int r, int g, int b, double[][] srgbColorants) {
        double[] lin = {srgbDecode(r), srgbDecode(g), srgbDecode(b)};
        double[] xyz = new double[3];
        for (int c = 0; c < 3; c++) for (int k = 0; k < 3; k++) xyz[k] += P3[c][k] * lin[c];
        double[][] m = new double[3][3]; // columns are the sRGB colorants
        for (int c = 0; c < 3; c++) for (int k = 0; k < 3; k++) m[k][c] = srgbColorants[c][k];
        double[] out = solve(m, xyz);
        return new int[] {srgbEncode(out[2]), srgbEncode(out[1]), srgbEncode(out[0])};
    }

    /** Cramer's rule for a 3×3 system. */
    static double[] solve(double[][] m, double[] y) {
        double d = det(m);
        double[] x = new double[3];
        for (int c = 0; c < 3; c++) {
            double[][] mc = new double[3][];
            for (int k = 0; k < 3; k++) {
                mc[k] = m[k].clone();
                mc[k][c] = y[k];
            }
            x[c] = det(mc) / d;
        }
        return x;
    }

    static double det(double[][] m) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }

    @Test
    void anAdobeRgbProfileRenamedSrgbIsStillConverted() throws Exception {
        // the fixture's own profile with its description rewritten in place: same primaries, same curves
        byte[] jpeg = Files.readAllBytes(TestImages.resource("adobergb-patches.jpg"));
        String text = new String(jpeg, java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] renamed = "sRGB IEC61966-21".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int at = text.indexOf("Adobe RGB (1998)"); at >= 0; at = text.indexOf("Adobe RGB (1998)", at + 1)) {
            System.arraycopy(renamed, 0, jpeg, at, renamed.length);
        }
        Path file = TestImages.write(dir, "says-srgb.jpg", jpeg);
        assertThat(name(IccProfile.read(file, ImageFormat.JPEG))).startsWith("sRGB");
        Mat out = TestImages.decode(cutter.cut(file, FocalPoint.CENTRE, null, List.of(new CropSpec("4x1", 4, 1, 64, 100)))
                .variants().get(0).jpeg());
        int[][] srgbBgr = {{35, 35, 233}, {42, 181, 0}, {205, 68, 34}, {129, 129, 129}};
        for (int i = 0; i < 4; i++) assertColour(TestImages.bgr(out, i * 16 + 8, 8), srgbBgr[i], 4, "patch " + i);
    }

    @Test
    void aDisplayP3ProfileThatSaysSrgbIsConvertedToTheColoursP3Means() throws Exception {
        java.awt.color.ICC_Profile p3 = srgbCopy(); // keeps the sRGB tone curve and the name "sRGB built-in"
        double[][] srgbColorants = new double[3][3];
        for (int c = 0; c < 3; c++) {
            java.nio.ByteBuffer tag = java.nio.ByteBuffer.wrap(p3.getData(COLORANTS[c]));
            for (int k = 0; k < 3; k++) srgbColorants[c][k] = tag.getInt(8 + 4 * k) / 65536.0;
            p3.setData(COLORANTS[c], xyzTag(P3[c]));
        }
        byte[] icc = p3.getData();
        assertThat(name(icc)).contains("sRGB");
        assertThat(IccProfile.toSrgb(icc)).as("P3 primaries under an sRGB name").isNotNull();

        int[] p3Colour = {180, 120, 60}; // r, g, b; inside sRGB's gamut once converted
        Mat flat = new Mat(16, 16, org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                new Scalar(p3Colour[2], p3Colour[1], p3Colour[0], 0));
        Path png = TestImages.write(dir, "p3.png", withIccp(TestImages.encode(flat, ".png"), icc));
        Mat out = TestImages.decode(cutter.cut(png, FocalPoint.CENTRE, null, List.of(new CropSpec("1x1", 1, 1, 16, 100)))
                .variants().get(0).jpeg());
        int[] expected = p3ToSrgbBgr(p3Colour[0], p3Colour[1], p3Colour[2], srgbColorants);
        assertThat(expected).as("the conversion is visible").isNotEqualTo(new int[] {p3Colour[2], p3Colour[1], p3Colour[0]});
        assertColour(TestImages.bgr(out, 8, 8), expected, 3, "a P3 orange in sRGB");
    }

    @Test
    void srgbPrimariesWithAnotherToneCurveAreConvertedToo() {
        for (double gamma : new double[] {1.8, 2.2}) {
            java.awt.color.ICC_Profile p = srgbCopy();
            for (int t : TRCS) p.setData(t, gammaTag(gamma));
            assertThat(name(p.getData())).contains("sRGB");
            assertThat(IccProfile.toSrgb(p.getData())).as("sRGB primaries, gamma %s", gamma).isNotNull();
        }
    }

    @Test
    void anSrgbProfileUnderAnotherNameIsLeftAlone() {
        java.awt.color.ICC_Profile p = srgbCopy();
        p.setData(java.awt.color.ICC_Profile.icSigProfileDescriptionTag, descTag("Camera RGB"));
        assertThat(name(p.getData())).isEqualTo("Camera RGB");
        assertThat(IccProfile.toSrgb(p.getData())).isNull();
    }

    /** A PNG with an iCCP chunk (zlib-compressed profile) inserted after IHDR. */
    private static byte[] withIccp(byte[] png, byte[] profile) {
        var deflater = new java.util.zip.Deflater();
        deflater.setInput(profile);
        deflater.finish();
        byte[] buf = new byte[profile.length + 1024];
        int n = deflater.deflate(buf);
        deflater.end();
        java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(4 + 4 + 2 + n);
        body.put("iCCP".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put("ICC".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put((byte) 0).put((byte) 0).put(buf, 0, n);
        var crc = new java.util.zip.CRC32();
        crc.update(body.array());
        int ihdrEnd = 8 + 4 + 4 + 13 + 4;
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(png.length + 4 + body.capacity() + 4);
        out.put(png, 0, ihdrEnd).putInt(body.capacity() - 4).put(body.array()).putInt((int) crc.getValue())
                .put(png, ihdrEnd, png.length - ihdrEnd);
        return out.array();
    }
}
