package dev.imagevision.spark;

import dev.imagevision.crop.OpenCvCodec;
import dev.imagevision.curation.Curation;
import dev.imagevision.curation.CurationFile;
import dev.imagevision.judgements.ProviderChoice;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.pipeline.PreviousManifest;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteConfig;
import dev.imagevision.site.SourceImage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * What one executor JVM holds for the run it is working on, made once and shared by all its tasks:
 * the site's small files laid out locally and read by the core, the imaging library, and the one
 * provider (one HTTP client, one rate limiter) whose calls each task attempt journals for itself
 * through the {@link CallRouter}. A new run replaces the previous one's state and closes its provider.
 */
final class Workers {
    private Workers() {}

    /** The site as this JVM holds it for a run. */
    record Held(String runId, Path dir, Site site, Curation curation, Manifest previous, Map<String, SourceImage> sources) {}

    private static volatile Held held;
    private static ProviderChoice provider;
    private static OpenCvCodec codec;
    private static volatile Path scratch;
    static final CallRouter ROUTER = new CallRouter();

    private static boolean exitHook;

    /** The JVM's copies of the site and its scratch files go when it exits (an executor, or the driver in local mode). */
    private static void removedAtExit() {
        if (exitHook) return;
        exitHook = true;
        // not synchronized: a task thread holding the lock must not keep the JVM from exiting
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Held h = held;
            for (Path p : new Path[] {h == null ? null : h.dir(), scratch}) {
                if (p == null) continue;
                try {
                    SiteFiles.deleteTree(p);
                } catch (IOException | RuntimeException e) {
                    // the JVM is going: a temporary folder left behind is all that is lost
                }
            }
        }, "imagevision-worker-cleanup"));
    }

    static synchronized Held site(RunContext ctx) throws IOException {
        if (held != null && held.runId().equals(ctx.runId())) return held;
        closeProvider();
        if (held != null) SiteFiles.deleteTree(held.dir());
        Path dir = ctx.files().materialize(Files.createTempDirectory("imagevision-site"));
        removedAtExit();
        SiteConfig c = SiteConfig.load(dir).withProvider(ctx.providerName());
        // the site's concurrency is the whole cluster's: this executor takes its share
        c = new SiteConfig(c.paths(), c.provider(), c.model(), c.scoreThreshold(), c.maxInputPixels(), c.variants(),
                ctx.concurrencyShare(), c.costSoftUsd(), c.costHardUsd(), c.uploadMaxEdge(), c.fleetAssets(),
                c.imageTimeoutSeconds());
        Site site = Site.load(dir, c);
        Curation curation = CurationFile.read(site.file(c.paths().curation()));
        Manifest previous = PreviousManifest.read(site, new ArrayList<>(), new PrintStream(new ByteArrayOutputStream()), true);
        Map<String, SourceImage> sources = new HashMap<>();
        for (SourceImage s : site.sources()) sources.put(s.path(), s);
        held = new Held(ctx.runId(), dir, site, curation, previous, sources);
        return held;
    }

    /** The run's provider, built on first use with the router as its recorder. */
    static synchronized ProviderChoice provider(RunContext ctx, Held h) {
        if (provider == null) {
            provider = ctx.providers().choose(h.site());
            provider.get(ROUTER); // built now, bound to the router: every session of this JVM shares it
        }
        return provider;
    }

    static synchronized OpenCvCodec codec() {
        if (codec == null) {
            codec = new OpenCvCodec();
            codec.loadNatives(); // before the executor's task threads touch OpenCV at once
        }
        return codec;
    }

    /** A local folder for this JVM's caches (cut variants, thumbnails being made). */
    static synchronized Path scratch() throws IOException {
        if (scratch == null) {
            scratch = Files.createTempDirectory("imagevision-worker");
            removedAtExit();
        }
        return scratch;
    }

    private static void closeProvider() {
        if (provider != null && provider.get() instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // a client of a finished run
            }
        }
        provider = null;
    }
}
