package dev.imagevision.vision.local;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_dnn.Net;

import java.nio.FloatBuffer;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_dnn.blobFromImage;
import static org.bytedeco.opencv.global.opencv_dnn.readNetFromONNX;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * PaddleOCR's text detector (DBNet, PP-OCR, Apache-2.0, shipped in this jar) through OpenCV DNN.
 * It gives a per-pixel text probability; what the provider uses is where and how much of the
 * frame is text. Not thread-safe: one instance per thread.
 */
final class TextDetector implements AutoCloseable {
    static final String RESOURCE = "ch_PP-OCRv3_det_infer.onnx";
    /** Long edge the detector sees; both sides are rounded to multiples of 32 as the network needs. */
    static final int INPUT_EDGE = 192;
    private final Net net;

    TextDetector() {
        byte[] model = BlazeFace.resource(RESOURCE);
        try (BytePointer buffer = new BytePointer(model)) {
            this.net = readNetFromONNX(buffer, model.length);
        }
        if (net.empty()) throw new IllegalStateException("the text model " + RESOURCE + " did not load");
    }

    /** Text probability per pixel (row-major, 0–1) on a {@code width × height} grid over the whole image. */
    record TextMap(int width, int height, float[] probability) {}

    TextMap detect(Mat bgr) {
        double s = (double) INPUT_EDGE / Math.max(bgr.cols(), bgr.rows());
        int w = Math.max(32, (int) Math.round(bgr.cols() * s / 32) * 32);
        int h = Math.max(32, (int) Math.round(bgr.rows() * s / 32) * 32);
        try (Mat input = new Mat(); Size size = new Size(w, h)) {
            resize(bgr, input, size, 0, 0, w < bgr.cols() ? INTER_AREA : INTER_LINEAR);
            // PaddleOCR's normalisation: RGB / 255, minus the ImageNet mean, over the ImageNet std (whose
            // three channels differ by under 2%, so one mean std serves)
            try (Scalar mean = new Scalar(0.485 * 255, 0.456 * 255, 0.406 * 255, 0);
                 Mat blob = blobFromImage(input, 1 / (255 * 0.226), size, mean, true, false, CV_32F)) {
                net.setInput(blob);
                try (Mat out = net.forward()) {
                    float[] p = new float[(int) out.total()];
                    FloatBuffer fb = out.createBuffer();
                    fb.get(p);
                    if (p.length != w * h) throw new IllegalStateException("text model answered " + p.length + " values for " + w + "x" + h);
                    return new TextMap(w, h, p);
                }
            }
        }
    }

    @Override
    public void close() {
        net.close();
    }
}
