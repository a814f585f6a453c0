package dev.imagevision.pipeline;

import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteFileException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import dev.imagevision.inventory.Problem;
import java.util.List;
import java.util.TreeMap;

/**
 * The manifest the run starts from. The manifest is machine-written and every score behind it is
 * in the cache, so an unreadable one (a bad merge, a truncated copy) does not stop the build: it
 * is kept aside byte for byte as {@code <name>.malformed}, the run says so, and the manifest is
 * rebuilt from the cache.
 */
public final class PreviousManifest {
    private PreviousManifest() {}

    public static Manifest read(Site site, List<Problem> problems, PrintStream log, boolean dryRun) throws IOException {
        Path file = site.file(site.config().paths().manifest());
        try {
            return ManifestFile.read(file);
        } catch (SiteFileException e) {
            if (dryRun) { // a dry run writes nothing: it says what the run would do
                String what = e.getMessage() + "; the run would keep it aside and rebuild the manifest from the cache";
                problems.add(new Problem(site.config().paths().manifest(), "manifest", what));
                return new Manifest(Manifest.VERSION, null, null, null, null, new TreeMap<>());
            }
            Path aside = file.resolveSibling(file.getFileName() + ".malformed");
            dev.imagevision.cache.AtomicFiles.copy(file, aside); // whole or not at all: a full disk leaves no half copy
            String what = e.getMessage() + "; kept as " + aside.getFileName() + ", rebuilding the manifest from the cache";
            log.println("!! " + what);
            problems.add(new Problem(site.config().paths().manifest(), "manifest", what));
            return new Manifest(Manifest.VERSION, null, null, null, null, new TreeMap<>());
        }
    }
}
