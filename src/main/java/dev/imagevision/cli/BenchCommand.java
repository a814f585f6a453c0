package dev.imagevision.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagevision.cache.AtomicFiles;
import dev.imagevision.bench.CropBench;
import dev.imagevision.bench.PeakRss;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code imagevision bench …}: timed runs of one stage, for comparing engines on the same images. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchCommand.Crops.class, BenchLocalCommand.class, BenchSiteCommand.class, BenchLedgerCommand.class},
        description = "Time one stage of the pipeline on a folder of images.")
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a benchmark, e.g. `imagevision bench crops --images DIR`");
    }

    /** {@code imagevision bench crops}: the three-variant crop job over every image of a folder. */
    @Command(name = "crops", mixinStandardHelpOptions = true,
            description = {"Cut every variant of every image in DIR (decode once, windows around each image's cached "
                    + "focal point when DIR is a site root, else the centre, scale, encode, write) and print the rate.",
                    "The last line is `images N seconds S images_per_s R` (with --json, one JSON object)."})
    static final class Crops implements Callable<Integer> {
        @Option(names = "--images", required = true, paramLabel = "DIR",
                description = "A site root (its provenance sources and cached focal points) or any folder of images.")
        Path images;

        @Option(names = "--out", paramLabel = "DIR",
                description = "Where the variants go (default: a temporary folder, deleted afterwards).")
        Path out;

        @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: one per core).")
        Integer threads;

        @Option(names = "--json", description = "Print the figures as one JSON object on stdout.")
        boolean json;

        @Option(names = "--write-list", paramLabel = "FILE",
                description = "Also write the images and focal points as `path<TAB>fx<TAB>fy` lines, the input of "
                        + "the peer benchmark (sharp-crops.mjs), so both cut around the same points.")
        Path writeList;

        @Mixin
        VerboseOption verbose;

        @Spec
        CommandSpec spec;

        /** The figures as JSON. */
        record Figures(@JsonProperty("images") int images, @JsonProperty("failed") int failed,
                       @JsonProperty("seconds") double seconds, @JsonProperty("images_per_s") double imagesPerS,
                       @JsonProperty("threads") int threads, @JsonProperty("peak_rss_bytes") Long peakRssBytes) {}

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter stdout = spec.commandLine().getOut();
            if (!Files.isDirectory(images)) {
                throw new IllegalArgumentException("--images " + images + " is not a folder");
            }
            if (threads != null && (threads < 1 || threads > 256)) {
                throw new IllegalArgumentException("--threads must be 1..256, got " + threads);
            }
            CropBench.Work work = CropBench.work(images);
            if (work.jobs().isEmpty()) throw new IllegalArgumentException("no images found in " + images);
            err.printf(Locale.ROOT, "%d images from %s%s%n", work.jobs().size(), images,
                    work.siteRoot() ? " (site root: " + work.withFocalPoint() + " with a cached focal point)" : " (centre crops)");
            err.flush();
            if (writeList != null) {
                StringBuilder list = new StringBuilder();
                for (CropBench.Job j : work.jobs()) {
                    double fx = j.focal() == null ? 0.5 : j.focal().x();
                    double fy = j.focal() == null ? 0.5 : j.focal().y();
                    list.append(j.file().toAbsolutePath()).append('\t').append(fx).append('\t').append(fy).append('\n');
                }
                AtomicFiles.write(writeList, list.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            Path dest = out != null ? out : Files.createTempDirectory("imagevision-bench-");
            CropBench.Result r;
            try {
                r = CropBench.run(work, dest, threads != null ? threads : Runtime.getRuntime().availableProcessors(),
                        System::nanoTime, new dev.imagevision.crop.OpenCvCodec());
            } finally {
                if (out == null) deleteTree(dest);
            }
            for (CropBench.Failure f : r.failures()) {
                err.println("  failed  " + Terminal.clean(f.file().toString()) + ": " + Terminal.clean(f.message()));
            }
            Long rss = PeakRss.bytes();
            err.printf(Locale.ROOT, "%d failed · %d threads · peak RSS %s%s%n", r.failed(), r.threads(),
                    rss == null ? "unknown" : (rss >> 20) + " MiB (VmHWM)", out != null ? " · variants in " + out : "");
            err.flush();
            if (json) {
                stdout.println(dev.imagevision.site.Json.COMPACT.writeValueAsString(new Figures(r.images(), r.failed(),
                        round3(r.seconds()), round2(r.imagesPerSecond()), r.threads(), rss)));
            } else {
                stdout.printf(Locale.ROOT, "images %d seconds %.3f images_per_s %.2f%n", r.images(), r.seconds(),
                        r.imagesPerSecond());
            }
            stdout.flush();
            return Main.OK;
        }

        private static double round3(double v) {
            return Math.round(v * 1000) / 1000.0;
        }

        private static double round2(double v) {
            return Math.round(v * 100) / 100.0;
        }

        private static void deleteTree(Path dir) throws IOException {
            if (!Files.exists(dir)) return;
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
    }
}
