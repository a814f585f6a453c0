package dev.imagevision.cli;

import dev.imagevision.curation.Curation;
import dev.imagevision.curation.CurationFile;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.pipeline.RunLock;
import dev.imagevision.report.AuditReport;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code imagevision report}: the audit report from the manifest, curation file and provenance as they are now. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write the audit report (one self-contained HTML file: open it from disk, no server, no network) "
                + "from the manifest, the curation file and provenance as they are now. Never calls a provider.")
public final class ReportCommand implements Callable<Integer> {
    @Mixin
    SiteOptions site;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the report (default: config paths.report, "
            + "static/data/audit-report.html).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Site loaded = site.load();
        SiteConfig.Paths paths = loaded.config().paths();
        Path target = out != null ? out.toAbsolutePath().normalize() : loaded.file(paths.report());
        long start = System.nanoTime();
        AuditReport.Written w;
        // the lock guards the cache and the site; a read-only site gets a reader's lock and the report still works
        try (RunLock lock = RunLock.acquireOrRead(loaded.file(paths.cache()))) {
            Manifest manifest = ManifestFile.read(loaded.file(paths.manifest()));
            Curation curation = CurationFile.read(loaded.file(paths.curation()));
            w = AuditReport.write(loaded, manifest, curation, target, new dev.imagevision.crop.OpenCvCodec());
        }
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "%s · %s made · %d without preview · %.1f MB · %.1f s%s%n", Terminal.count(w.images(), "image"),
                Terminal.count(w.thumbnailsMade(), "thumbnail"), w.thumbnailFailures(), w.bytes() / 1e6, (System.nanoTime() - start) / 1e9,
                w.changed() ? "" : " · unchanged");
        err.flush();
        spec.commandLine().getOut().println(w.file());
        spec.commandLine().getOut().flush();
        return Main.OK;
    }
}
