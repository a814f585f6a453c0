package dev.imagevision.cli;

import dev.imagevision.manifest.ManifestCheck;
import dev.imagevision.manifest.ManifestSchema;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code imagevision validate}: the manifest checks a build runs (spec M6). Reads only. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check the manifest against its JSON Schema and the files it names. Errors (exit 2): the "
                + "manifest is malformed or breaks the schema, or a variant file it names is missing; the cost ledger "
                + "is malformed or has a row that cannot be counted as money (named by index and line). Warnings "
                + "(exit 0): a scored image has no entry, an entry's image left provenance, a flag not applied yet, a "
                        + "curation file that does not parse, a ledger row repeated by call id (counted once).",
                "Nothing is written; provenance is only read."})
public final class ValidateCommand implements Callable<Integer> {
    @Option(names = "--root", paramLabel = "DIR", description = "Site root (default: current directory).")
    Path root = Path.of(".");

    @Option(names = "--json", description = "Print the findings as one JSON object on stdout.")
    boolean json;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(root)) throw new IllegalArgumentException("--root " + root + " is not a directory");
        Site site = Site.load(root, SiteConfig.load(root));
        ManifestCheck.Report report = ManifestCheck.run(site, ManifestSchema.load());
        PrintWriter err = spec.commandLine().getErr();
        for (ManifestCheck.Finding f : report.findings()) {
            err.println((f.severity() == ManifestCheck.Severity.ERROR ? "error: " : "warning: ")
                    + (f.entry() == null ? "" : Terminal.clean(f.entry()) + ": ") + Terminal.clean(f.message()));
        }
        int code = report.ok() ? Main.OK : Main.BAD_INPUT;
        err.printf(Locale.ROOT, "%s: %d entries · %d errors · %d warnings · %s%n", Terminal.clean(report.manifest()),
                report.entries(), report.errors().size(), report.warnings().size(), report.ok() ? "valid" : "INVALID");
        err.flush();
        if (json) {
            var node = dev.imagevision.site.Json.COMPACT.valueToTree(report);
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("exit_code", code);
            spec.commandLine().getOut().println(dev.imagevision.site.Json.COMPACT.writeValueAsString(node));
            spec.commandLine().getOut().flush();
        }
        return code;
    }
}
