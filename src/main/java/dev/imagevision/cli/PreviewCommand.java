package dev.imagevision.cli;

import dev.imagevision.preview.Preview;
import dev.imagevision.site.Site;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code imagevision preview}: the site's pages as a visitor sees them, from the manifest as it is. */
@Command(name = "preview", mixinStandardHelpOptions = true,
        description = "Write the preview page (one self-contained HTML file: open it from disk): for each group the hero "
                + "at 16:9 as a desktop page shows it, the gallery as 4:3 cards and a phone's column of 1:1 thumbnails, "
                + "drawn with the site's front-end package from the manifest and provenance. Never calls a provider.")
public final class PreviewCommand implements Callable<Integer> {
    @Mixin
    SiteOptions site;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the preview (default: config paths.preview, "
            + "static/data/preview.html).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Site loaded = site.load();
        Path target = out != null ? out.toAbsolutePath().normalize() : loaded.file(loaded.config().paths().preview());
        Preview.Written w = Preview.write(loaded, target);
        report(spec.commandLine().getErr(), w);
        spec.commandLine().getOut().println(w.file());
        spec.commandLine().getOut().flush();
        return Main.OK;
    }

    static void report(PrintWriter err, Preview.Written w) {
        err.printf(Locale.ROOT, "preview of %d %s · %.1f MB%s%n", w.entries(), w.entries() == 1 ? "image" : "images",
                w.bytes() / 1e6, w.changed() ? "" : " · unchanged");
        err.flush();
    }
}
