package dev.imagevision.cli;

import dev.imagevision.bench.SyntheticSite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;



/**
 * {@code imagevision bench site}: writes a synthetic site the size of the seed site (1,345 small
 * JPEGs in mission, fleet and planet groups, provenance in the real format, a missions index) for
 * the warm-run benchmark ({@code bench/warm-run.sh}).
 */
@Command(name = "site", mixinStandardHelpOptions = true,
        description = "Generate a synthetic site of small JPEGs for benchmarks (deterministic for a seed).")
public final class BenchSiteCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to create (must not exist).")
    Path out;
    @Option(names = "--images", defaultValue = "1345", description = "How many images (default: ${DEFAULT-VALUE}).")
    int images;
    @Option(names = "--size", defaultValue = "480", description = "Long edge of each image in pixels (default: ${DEFAULT-VALUE}).")
    int size;
    @Option(names = "--seed", defaultValue = "18", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(out)) throw new IllegalArgumentException("--out " + out + " already exists");
        if (images < 1 || size < 16) throw new IllegalArgumentException("--images must be ≥ 1 and --size ≥ 16");
        SyntheticSite.write(out, images, size, seed);
        spec.commandLine().getErr().println("wrote " + images + " images to " + out.toAbsolutePath());
        return 0;
    }
}
