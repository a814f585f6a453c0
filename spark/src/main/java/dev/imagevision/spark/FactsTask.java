package dev.imagevision.spark;

import dev.imagevision.crop.ImageException;
import dev.imagevision.report.Thumbnails;
import dev.imagevision.site.SourceImage;
import dev.imagevision.vision.ModelIdentity;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Phase one, on the workers: each source's facts (bytes → SHA-256 → score key → cached score, what
 * is at each variant path), and the report's thumbnail where the store has none, so the driver never
 * decodes an image. Returns one JSON line of {@link ImageFacts} per source.
 */
final class FactsTask implements FlatMapFunction<Iterator<String>, String> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<RunContext> run;

    FactsTask(Broadcast<RunContext> run) {
        this.run = run;
    }

    @Override
    public Iterator<String> call(Iterator<String> paths) throws IOException {
        RunContext ctx = run.value();
        Workers.Held w = Workers.site(ctx);
        ModelIdentity scorer = new ModelIdentity(ctx.scorer()[0], ctx.scorer()[1], ctx.scorer()[2]);
        Set<String> current = new TreeSet<>(w.sources().keySet());
        String cacheDir = w.site().config().paths().cache();
        Path scratch = Files.createTempDirectory(Workers.scratch(), "facts");
        Thumbnails thumbs = new Thumbnails(scratch, Workers::codec, Workers.codec().libraryMajorVersion(),
                w.site().config().maxInputPixels());
        ImageFacts.Thumbnailer thumbnailer = !ctx.thumbnails() ? ImageFacts.Thumbnailer.NONE : (file, sha) -> {
            String entry = cacheDir + "/" + thumbs.cacheEntry(sha);
            try {
                if (ctx.store().exists(entry)) return null;
                ctx.store().write(entry, thumbs.get(file, sha).jpeg());
                return null;
            } catch (ImageException | IOException e) {
                return e.getMessage();
            } catch (RuntimeException e) {
                return "cannot make a preview: " + e; // as the CLI's report says it
            }
        };
        List<String> out = new ArrayList<>();
        try {
            while (paths.hasNext()) {
                SourceImage s = w.sources().get(paths.next());
                out.add(ImageFacts.read(ctx.store(), w.site(), s, w.previous().entries().get(s.path()), scorer, current,
                        scratch, thumbnailer).json());
            }
        } finally {
            SiteFiles.deleteTree(scratch);
        }
        return out.iterator();
    }
}
