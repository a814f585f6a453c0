package dev.imagevision.cli;

import dev.imagevision.pipeline.Pipeline;
import dev.imagevision.preview.Preview;
import dev.imagevision.pipeline.RunOptions;
import dev.imagevision.pipeline.RunSummary;
import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code imagevision demo}: the whole pipeline on the bundled sample site, offline. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Copy the bundled sample site to a work folder (once) and run the whole pipeline on it "
                + "with the offline local provider, then write the preview page. Running it again reuses the folder: nothing "
                + "is re-scored.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", description = "Work folder (default: ./imagevision-demo).")
    Path out = Path.of("imagevision-demo");

    @Option(names = "--sample", paramLabel = "DIR", description = "Sample site to copy (default: the one shipped with imagevision).")
    Path sample;

    @Option(names = "--json", description = "Print the run summary as one JSON object on stdout.")
    boolean json;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Path from = sample != null ? sample : bundledSample();
        if (!Files.isDirectory(out)) {
            copyTree(from, out);
            err.println("copied the sample site to " + out.toAbsolutePath());
        } else {
            err.println("reusing the demo site in " + out.toAbsolutePath());
        }
        SiteConfig config = SiteConfig.load(out).withProvider("local");
        Site site = Site.load(out, config);
        var codec = new dev.imagevision.crop.OpenCvCodec(); // the one imaging library of the run
        RunOptions options = new RunOptions(ScopeRequest.defaults(), false, false, false, false,
                Providers.choose("local", site, codec), Clocks.fromEnvironment(System.getenv()), TerminalProgress.forEnvironment(json),
                new java.io.PrintStream(System.err, true), true, false, codec);
        RunSummary s = Pipeline.run(site, options);
        // what a visitor of the demo site would see, drawn with the front-end package
        Preview.Written preview = Preview.write(site, site.file(config.paths().preview()));
        s.problems().forEach(p -> err.println("  failed  " + Terminal.clean(p.path()) + ": " + Terminal.clean(p.message())));
        Path root = out.toAbsolutePath().normalize();
        err.printf(Locale.ROOT, "%d images · %d scored · %d cached · %d failed · %d cropped · %d provider calls%n",
                site.sources().size(), s.scored(), s.cached(), s.failed(), s.cropped(), s.providerCalls());
        err.println("manifest: " + root.resolve(s.manifest()));
        err.println("variants: next to each source under " + site.root().staticDir().resolve("images") + " (<name>.1x1.jpg, .4x3.jpg, .16x9.jpg)");
        err.println("report:   " + root.resolve(s.report()));
        err.println("preview:  " + preview.file() + "  (the pages as a visitor sees them)");
        err.flush();
        if (json) {
            spec.commandLine().getOut().println(dev.imagevision.site.Json.COMPACT.writeValueAsString(s));
            spec.commandLine().getOut().flush();
        }
        return s.exitCode();
    }

    /** The sample site next to the installed jar (the launcher passes its home). */
    static Path bundledSample() {
        String home = System.getProperty("imagevision.home");
        Path p = home == null ? Path.of("sample-site") : Path.of(home, "sample-site");
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("the bundled sample site is not at " + p.toAbsolutePath()
                    + "; pass --sample DIR or run through bin/imagevision");
        }
        return p;
    }

    /** A whole tree copied as it is, modification times included (a copied scored site stays warm). */
    public static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
