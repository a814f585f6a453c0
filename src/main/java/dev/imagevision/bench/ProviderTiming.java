package dev.imagevision.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagevision.crop.ImageException;
import dev.imagevision.crop.ImageHeader;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.ProviderException;
import dev.imagevision.vision.VisionProvider;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Times a provider on images, one at a time on the calling thread: wall time and that thread's CPU
 * time (the latter is what one core spends, even on a machine busy with other work). Each image is
 * judged once to warm up, then {@code repeat} times; the median is reported.
 */
public final class ProviderTiming {
    private ProviderTiming() {}

    public record Timing(@JsonProperty("path") String path, @JsonProperty("width") int width,
                         @JsonProperty("height") int height, @JsonProperty("megapixels") double megapixels,
                         @JsonProperty("wall_ms") double wallMs, @JsonProperty("cpu_ms") double cpuMs) {}

    public record Result(@JsonProperty("provider") String provider, @JsonProperty("repeat") int repeat,
                         @JsonProperty("images") List<Timing> images,
                         @JsonProperty("median_wall_ms") double medianWallMs,
                         @JsonProperty("median_cpu_ms") double medianCpuMs,
                         @JsonProperty("max_cpu_ms") double maxCpuMs) {}

    public static Result run(VisionProvider provider, List<Path> files, int repeat) throws ProviderException, ImageException {
        if (repeat < 1) throw new IllegalArgumentException("--repeat must be at least 1");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        LongSupplier cpu = threads.isCurrentThreadCpuTimeSupported() ? threads::getCurrentThreadCpuTime : System::nanoTime;
        List<Timing> out = new ArrayList<>(files.size());
        for (Path f : files) {
            ImageHeader h = ImageHeader.read(f);
            provider.judge(f, ImageContext.bare(f.toString())); // warm-up: class loading, model load, JIT
            double[] wall = new double[repeat];
            double[] spent = new double[repeat];
            for (int i = 0; i < repeat; i++) {
                long w0 = System.nanoTime();
                long c0 = cpu.getAsLong();
                provider.judge(f, ImageContext.bare(f.toString()));
                spent[i] = (cpu.getAsLong() - c0) / 1e6;
                wall[i] = (System.nanoTime() - w0) / 1e6;
            }
            out.add(new Timing(f.toString(), h.orientedWidth(), h.orientedHeight(),
                    round(h.pixels() / 1e6), round(median(wall)), round(median(spent))));
        }
        double[] w = out.stream().mapToDouble(Timing::wallMs).toArray();
        double[] c = out.stream().mapToDouble(Timing::cpuMs).toArray();
        return new Result(provider.id(), repeat, out, round(median(w)), round(median(c)),
                Arrays.stream(c).max().orElse(0));
    }

    static double median(double[] v) {
        if (v.length == 0) return 0;
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Four decimals, like the evaluation's figures. */
    static double round(double v) {
        return Math.round(v * 10_000d) / 10_000d;
    }
}
