package dev.imagevision.pipeline;

import dev.imagevision.cache.AtomicFiles;
import dev.imagevision.cache.StatIndex;
import dev.imagevision.curation.Curation;
import dev.imagevision.preview.Preview;
import dev.imagevision.report.AuditReport;
import dev.imagevision.site.Site;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The report stage: the audit report and the preview page, both drawn from the manifest just
 * written. Both are git-ignored pages for the editor on this machine, so a site this process may
 * not write (a read-only checkout) goes without them, said on the log, rather than failing the run.
 */
public final class ReportStage {
    private ReportStage() {}

    /** Writes both pages; returns the report's path, or null when it was not written. */
    static Path write(Site site, ManifestStage.Written manifest, Curation curation, StatIndex index,
                      dev.imagevision.crop.ImageCodec codec, PrintStream log) throws IOException {
        return write(site, manifest, curation, index, AuditReport.Sources.onDisk(site.root(), index), codec, log);
    }

    /** As above, reading the sources through {@code sources} (a distributed run: what its workers read). */
    public static Path write(Site site, ManifestStage.Written manifest, Curation curation, StatIndex index,
                             AuditReport.Sources sources, dev.imagevision.crop.ImageCodec codec, PrintStream log)
            throws IOException {
        var paths = site.config().paths();
        Path report = site.file(paths.report());
        try {
            AuditReport.write(site, manifest.manifest(), manifest.bytes(), curation, index, report, sources, codec);
            Preview.write(site, site.file(paths.preview()), index);
            index.save();
            return report;
        } catch (IOException e) {
            if (!AtomicFiles.refused(e, report)) throw e;
            log.println("note: the audit report and preview were not written: this site cannot be written here ("
                    + e.getMessage() + ")");
            return null;
        }
    }
}
