package dev.imagevision.vision.local;

/**
 * Where the subject is: a weight per pixel from spectral-residual saliency and from how far the
 * pixel stands from the frame's typical brightness. The box is the span between low and high
 * quantiles of that weight along each axis; the focal point is its centroid.
 */
final class Subject {
    static final double LOW = 0.06;
    static final double HIGH = 0.94;

    private Subject() {}

    static double[] weights(Measure.Pixels p, float[] saliency) {
        int n = p.n();
        int[] luma = p.luma();
        int median = Evidence.median(luma);
        double[] weight = new double[n];
        double salMax = 0;
        for (float s : saliency) salMax = Math.max(salMax, s);
        double devMax = 1;
        for (int l : luma) devMax = Math.max(devMax, Math.abs(l - median));
        for (int i = 0; i < n; i++) {
            double s = saliency.length == n && salMax > 0 ? saliency[i] / salMax : 0;
            double d = Math.abs(luma[i] - median) / devMax;
            weight[i] = 0.5 * s + d * d;
        }
        return weight;
    }
}
