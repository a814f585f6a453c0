package dev.imagevision.vision.local;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.StringVector;
import org.bytedeco.opencv.opencv_dnn.Net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_dnn.blobFromImage;
import static org.bytedeco.opencv.global.opencv_dnn.readNetFromTFLite;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * MediaPipe's BlazeFace short-range face detector (Apache-2.0, shipped in this jar) run through
 * OpenCV DNN. The network scores 896 fixed anchors on a 128 × 128 input; turning its raw output
 * into boxes (anchor layout, offsets, sigmoid, weighted non-maximum suppression) is done here the
 * way MediaPipe's own calculators do it. Not thread-safe: one instance per thread.
 */
final class BlazeFace implements AutoCloseable {
    static final String RESOURCE = "face_detection_short_range.tflite";
    static final int INPUT = 128;
    /** MediaPipe's threshold for this model. */
    static final double MIN_SCORE = 0.5;
    private static final float[][] ANCHORS = anchors();

    private final Net net;
    private final StringVector outputs;

    BlazeFace() {
        byte[] model = resource(RESOURCE);
        try (BytePointer buffer = new BytePointer(model)) {
            this.net = readNetFromTFLite(buffer, model.length);
        }
        if (net.empty()) throw new IllegalStateException("the face model " + RESOURCE + " did not load");
        this.outputs = net.getUnconnectedOutLayersNames();
    }

    /**
     * A face as fractions of the image, with the network's confidence and its six keypoints
     * (right eye, left eye, nose tip, mouth, right ear, left ear) as x, y pairs.
     */
    record Face(double x, double y, double w, double h, double score, double[] keypoints) {
        Face moved(double ox, double oy, double sx, double sy) {
            double[] k = new double[keypoints.length];
            for (int i = 0; i < k.length; i += 2) {
                k[i] = ox + keypoints[i] * sx;
                k[i + 1] = oy + keypoints[i + 1] * sy;
            }
            return new Face(ox + x * sx, oy + y * sy, w * sx, h * sy, score, k);
        }
    }

    /**
     * Faces in {@code region} of {@code bgr}, as fractions of the whole image. The region is padded
     * to a square (black) so faces keep their shape.
     */
    List<Face> detect(Mat bgr, Rect region) {
        int side = Math.max(region.width(), region.height());
        float[] scores;
        float[] boxes;
        try (Mat roi = new Mat(bgr, region); Mat square = new Mat(); Mat input = new Mat()) {
            copyMakeBorder(roi, square, 0, side - region.height(), 0, side - region.width(), BORDER_CONSTANT,
                    new Scalar(0, 0, 0, 0));
            try (Size size = new Size(INPUT, INPUT)) {
                resize(square, input, size, 0, 0, side > INPUT ? INTER_AREA : INTER_LINEAR);
            }
            try (Mat blob = blobFromImage(input, 1 / 127.5, new Size(INPUT, INPUT), new Scalar(127.5, 127.5, 127.5, 0),
                    true, false, CV_32F); MatVector out = new MatVector()) {
                net.setInput(blob);
                net.forward(out, outputs);
                float[] a = floats(out.get(0));
                float[] b = floats(out.get(1));
                // the two outputs are scores (896 × 1) and regressors (896 × 16), in whichever order
                scores = a.length < b.length ? a : b;
                boxes = a.length < b.length ? b : a;
            }
        }
        List<Face> inInput = decode(scores, boxes, MIN_SCORE);
        List<Face> out = new ArrayList<>(inInput.size());
        double sx = (double) side / bgr.cols();
        double sy = (double) side / bgr.rows();
        double ox = (double) region.x() / bgr.cols();
        double oy = (double) region.y() / bgr.rows();
        for (Face f : inInput) {
            out.add(f.moved(ox, oy, sx, sy));
        }
        return out;
    }

    private static float[] floats(Mat m) {
        try (Mat c = m.isContinuous() ? m.clone() : m.clone()) {
            float[] v = new float[(int) c.total()];
            FloatBuffer fb = c.createBuffer();
            fb.get(v);
            return v;
        }
    }

    /**
     * MediaPipe's SSD anchors for this model: layer strides 8, 16, 16, 16 on a 128 input (layers
     * of equal stride share a grid), two anchors per cell at stride 8 and six at stride 16, all of
     * unit size (fixed_anchor_size), centred in their cell. Returns {cx, cy} per anchor.
     */
    static float[][] anchors() {
        List<float[]> out = new ArrayList<>(896);
        int[][] grids = {{16, 2}, {8, 6}};
        for (int[] g : grids) {
            int n = g[0];
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    for (int k = 0; k < g[1]; k++) out.add(new float[] {(x + 0.5f) / n, (y + 0.5f) / n});
                }
            }
        }
        return out.toArray(new float[0][]);
    }

    /**
     * Raw network output → faces as fractions of the (square) input: box centre is the anchor
     * plus an offset in input pixels, size in input pixels; the score is a sigmoid of the clipped
     * logit. Overlapping detections are merged by score-weighted averaging (MediaPipe's weighted NMS).
     */
    static List<Face> decode(float[] scores, float[] boxes, double minScore) {
        if (scores.length != ANCHORS.length || boxes.length != ANCHORS.length * 16) {
            throw new IllegalArgumentException("unexpected face model output: " + scores.length + " scores, "
                    + boxes.length + " box values");
        }
        List<Face> raw = new ArrayList<>();
        for (int i = 0; i < ANCHORS.length; i++) {
            double logit = Math.max(-100, Math.min(100, scores[i]));
            double score = 1 / (1 + Math.exp(-logit));
            if (score < minScore) continue;
            double cx = boxes[i * 16] / (double) INPUT + ANCHORS[i][0];
            double cy = boxes[i * 16 + 1] / (double) INPUT + ANCHORS[i][1];
            double w = boxes[i * 16 + 2] / (double) INPUT;
            double h = boxes[i * 16 + 3] / (double) INPUT;
            if (w <= 0 || h <= 0) continue;
            double[] k = new double[12];
            for (int j = 0; j < 6; j++) {
                k[2 * j] = boxes[i * 16 + 4 + 2 * j] / (double) INPUT + ANCHORS[i][0];
                k[2 * j + 1] = boxes[i * 16 + 5 + 2 * j] / (double) INPUT + ANCHORS[i][1];
            }
            raw.add(new Face(cx - w / 2, cy - h / 2, w, h, score, k));
        }
        return weightedNms(raw, 0.3);
    }

    static List<Face> weightedNms(List<Face> faces, double minIou) {
        List<Face> left = new ArrayList<>(faces);
        left.sort(Comparator.comparingDouble(Face::score).reversed().thenComparingDouble(Face::x).thenComparingDouble(Face::y));
        List<Face> out = new ArrayList<>();
        while (!left.isEmpty()) {
            Face top = left.get(0);
            List<Face> cluster = new ArrayList<>();
            List<Face> rest = new ArrayList<>();
            for (Face f : left) (iou(top, f) > minIou ? cluster : rest).add(f);
            double t = 0, x = 0, y = 0, w = 0, h = 0;
            double[] k = new double[top.keypoints().length];
            for (Face f : cluster) {
                t += f.score();
                x += f.x() * f.score();
                y += f.y() * f.score();
                w += f.w() * f.score();
                h += f.h() * f.score();
                for (int j = 0; j < k.length; j++) k[j] += f.keypoints()[j] * f.score();
            }
            for (int j = 0; j < k.length; j++) k[j] /= t;
            out.add(new Face(x / t, y / t, w / t, h / t, top.score(), k));
            left = rest;
        }
        return out;
    }

    static double iou(Face a, Face b) {
        double ix = Math.max(0, Math.min(a.x() + a.w(), b.x() + b.w()) - Math.max(a.x(), b.x()));
        double iy = Math.max(0, Math.min(a.y() + a.h(), b.y() + b.h()) - Math.max(a.y(), b.y()));
        double inter = ix * iy;
        double union = a.w() * a.h() + b.w() * b.h() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    static byte[] resource(String name) {
        try (InputStream in = BlazeFace.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("model " + name + " is missing from the imagevision jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read model " + name + " from the imagevision jar: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        outputs.close();
        net.close();
    }
}
