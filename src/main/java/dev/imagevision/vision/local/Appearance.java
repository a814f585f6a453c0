package dev.imagevision.vision.local;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_dnn.Net;

import java.nio.FloatBuffer;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_dnn.blobFromImage;
import static org.bytedeco.opencv.global.opencv_dnn.readNetFromTFLite;

/**
 * What a picture looks like, as a pretrained network sees it: the last feature map (1280 channels) of
 * the MobileNetV2 backbone in MediaPipe's SSD object detector (trained on Open Images; Apache-2.0,
 * shipped in this jar), averaged over the frame and scaled to unit length. It carries what a thing is
 * (a rocket on a pad, a clean room, a crowd, a star field), which the measured statistics do not;
 * {@link CategoryModel} turns it into a category. Not thread-safe: one instance per thread.
 */
final class Appearance implements AutoCloseable {
    static final String RESOURCE = "object_detection_ssd_mobilenetv2_oidv4_fp16.tflite";
    /** The detector's input side: the frame is stretched to it, as the network was trained. */
    static final int INPUT = 300;
    static final int LENGTH = 1280;
    private static final String FEATURES = "FeatureExtractor/MobilenetV2/Conv_1/Relu6;"
            + "FeatureExtractor/MobilenetV2/Conv_1/BatchNorm/FusedBatchNormV3;FeatureExtractor/MobilenetV2/Conv_1/Conv2D/activ";

    private final Net net;

    Appearance() {
        byte[] model = BlazeFace.resource(RESOURCE);
        try (BytePointer buffer = new BytePointer(model)) {
            this.net = readNetFromTFLite(buffer, model.length);
        }
        if (net.empty()) throw new IllegalStateException("the appearance model " + RESOURCE + " did not load");
    }

    /** The descriptor of a BGR frame: {@link #LENGTH} non-negative numbers of unit length. */
    double[] describe(Mat bgr) {
        try (Size size = new Size(INPUT, INPUT); Scalar mean = new Scalar(127.5, 127.5, 127.5, 0);
             Mat blob = blobFromImage(bgr, 1 / 127.5, size, mean, true, false, CV_32F)) {
            net.setInput(blob);
            try (Mat out = net.forward(FEATURES); Mat dense = out.clone()) {
                int channels = out.size(1);
                int cells = out.size(2) * out.size(3);
                if (channels != LENGTH) throw new IllegalStateException("the appearance model gave " + channels + " channels, not " + LENGTH);
                float[] v = new float[(int) dense.total()];
                ((FloatBuffer) dense.createBuffer()).get(v);
                return pooled(v, channels, cells);
            }
        }
    }

    /** Channel means of a channels × cells map, scaled to unit length (all zeros stay zeros). */
    static double[] pooled(float[] map, int channels, int cells) {
        double[] d = new double[channels];
        double norm = 0;
        for (int ch = 0; ch < channels; ch++) {
            double s = 0;
            for (int i = 0; i < cells; i++) s += map[ch * cells + i];
            d[ch] = s;
            norm += s * s;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) for (int ch = 0; ch < channels; ch++) d[ch] /= norm;
        return d;
    }

    @Override
    public void close() {
        net.close();
    }
}
