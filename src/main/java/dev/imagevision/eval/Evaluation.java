package dev.imagevision.eval;

import dev.imagevision.crop.ImageException;
import dev.imagevision.crop.ImageHeader;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.ProviderException;
import dev.imagevision.vision.Scored;
import dev.imagevision.vision.VisionProvider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The shell around {@link Metrics}: runs a provider over labelled images one at a time (so the
 * per-image time is that of one core) and collects the outcomes.
 */
public final class Evaluation {
    private Evaluation() {}

    /** The labelled image's file, which must exist: an evaluation over a partial set would print misleading rates. */
    static Path labelledFile(Label label, Path images) {
        Path file = images.resolve(label.path());
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("labelled image " + label.path() + " is not at " + file
                    + "; pass --images DIR (the folder the labels' paths are relative to)");
        }
        return file;
    }

    /**
     * @param images  folder the labels' paths are relative to
     * @param nanos   the time source for per-image timing (System::nanoTime in the CLI)
     * @param onImage told about each outcome as it arrives (progress)
     * @throws IllegalArgumentException when a labelled image is missing or unreadable: an
     *         evaluation over a partial set would print misleading rates
     */
    public static List<Outcome> run(VisionProvider provider, List<Label> labels, Path images, LongSupplier nanos,
                                    Consumer<Outcome> onImage) {
        List<Outcome> out = new ArrayList<>(labels.size());
        for (Label label : labels) {
            Path file = labelledFile(label, images);
            ImageHeader header;
            try {
                header = ImageHeader.read(file);
            } catch (ImageException e) {
                throw new IllegalArgumentException("labelled image " + file + " cannot be read: " + e.getMessage(), e);
            }
            long t0 = nanos.getAsLong();
            Outcome o;
            try {
                Scored s = provider.judge(file, ImageContext.bare(label.path()));
                double ms = (nanos.getAsLong() - t0) / 1e6;
                o = Outcome.judged(label, header.orientedWidth(), header.orientedHeight(), s.judgement(), ms);
            } catch (ProviderException e) {
                if (e.fatal()) throw new IllegalStateException("the provider gave up: " + e.getMessage(), e);
                double ms = (nanos.getAsLong() - t0) / 1e6;
                o = Outcome.failed(label, header.orientedWidth(), header.orientedHeight(), e.getMessage(), ms);
            }
            out.add(o);
            onImage.accept(o);
        }
        return out;
    }
}
