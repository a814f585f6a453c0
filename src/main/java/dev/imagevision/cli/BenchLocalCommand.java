package dev.imagevision.cli;

import dev.imagevision.bench.ProviderTiming;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteConfig;
import dev.imagevision.site.SiteRoot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code imagevision bench local IMAGES…}: how long the local provider takes per image on one core. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Time a provider on images, one at a time on one thread: wall time and the thread's CPU time "
                + "(what one core spends, even when the machine is busy). Each image is judged once to warm up, "
                + "then --repeat times; medians are printed.",
                "Only the offline local provider is timed this way (the anthropic one is network-bound)."})
public final class BenchLocalCommand implements Callable<Integer> {
    final String provider = "local";

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "IMAGE",
            description = "Image files, or folders whose .jpg/.jpeg/.png/.webp files are used.")
    List<Path> inputs;

    @Option(names = "--repeat", paramLabel = "N", description = "Timed runs per image (default: 5).")
    int repeat = 5;

    @Option(names = "--json", description = "Print the timings as one JSON object on stdout instead of the table.")
    boolean json;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!"local".equals(provider)) throw new IllegalArgumentException("bench: only the local provider can be benchmarked, got " + provider);
        List<Path> files = files(inputs);
        if (files.isEmpty()) throw new IllegalArgumentException("bench: no .jpg, .jpeg, .png or .webp image in " + inputs);
        SiteConfig config = SiteConfig.defaults().withProvider(provider);
        Site site = new Site(new SiteRoot(Path.of("."), config.paths().staticDir()), config, List.of(), Map.of(), List.of(), 0);
        ProviderTiming.Result r = ProviderTiming.run(Providers.choose(provider, site, new dev.imagevision.crop.OpenCvCodec()).get(), files, repeat);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(dev.imagevision.site.Json.COMPACT.writeValueAsString(r));
        } else {
            out.printf(Locale.ROOT, "%10s %10s %8s %9s  %s%n", "size", "megapixel", "wall ms", "cpu ms", "image");
            for (ProviderTiming.Timing t : r.images()) {
                out.printf(Locale.ROOT, "%10s %10.1f %8.1f %9.1f  %s%n", t.width() + "x" + t.height(), t.megapixels(),
                        t.wallMs(), t.cpuMs(), Terminal.clean(t.path()));
            }
            out.printf(Locale.ROOT, "median over %d images: wall %.1f ms, cpu %.1f ms (max cpu %.1f ms); %d timed runs each%n",
                    r.images().size(), r.medianWallMs(), r.medianCpuMs(), r.maxCpuMs(), r.repeat());
        }
        out.flush();
        return Main.OK;
    }

    static List<Path> files(List<Path> inputs) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile).filter(BenchLocalCommand::image).sorted().forEach(out::add);
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new IllegalArgumentException("bench: " + p + " is neither an image file nor a folder");
            }
        }
        return out;
    }

    private static boolean image(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".webp");
    }
}
