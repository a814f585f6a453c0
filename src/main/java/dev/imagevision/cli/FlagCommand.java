package dev.imagevision.cli;

import dev.imagevision.curation.CurationEntry;
import dev.imagevision.curation.CurationStore;
import dev.imagevision.curation.FlagPayload;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code imagevision flag}: the editor's deny-list, from the audit report's payload or the command line. */
@Command(name = "flag", mixinStandardHelpOptions = true,
        description = {"Flag an image as bad: the next score run rejects it (score 0, rejected_by \"human\") "
                + "without calling the provider, and its group gets a new hero and gallery.",
                "With no PATH, reads the audit report's payload {\"path\": …, \"reason\": …} on stdin, "
                        + "e.g. `pbpaste | imagevision flag`."})
public final class FlagCommand implements Callable<Integer> {
    @Option(names = "--root", paramLabel = "DIR", description = "Site root (default: current directory).")
    Path root = Path.of(".");

    @Parameters(arity = "0..1", paramLabel = "PATH",
            description = "The image to flag: /images/…, images/… or static/images/… (with --reason).")
    String path;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why the image is bad, in one sentence.")
    String reason;

    @Option(names = "--list", description = "List the flagged images, newest first.")
    boolean list;

    @Option(names = "--unflag", paramLabel = "PATH", description = "Lift the flag; the cached model score comes back on the next run.")
    String unflag;

    @Mixin
    VerboseOption verbose;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int modes = (list ? 1 : 0) + (unflag != null ? 1 : 0) + (path != null || reason != null ? 1 : 0);
        if (modes > 1) throw new IllegalArgumentException("give one of: PATH --reason TEXT, --list, --unflag PATH (or a payload on stdin)");
        if (!Files.isDirectory(root)) throw new IllegalArgumentException("--root " + root + " is not a directory");
        Site site = Site.load(root, SiteConfig.load(root));
        CurationStore store = CurationStore.of(site, Clock.systemUTC());

        if (list) {
            List<CurationEntry> rows = store.list();
            for (CurationEntry e : rows) {
                out.println(Terminal.clean(e.flaggedAt() == null ? "(no date)" : e.flaggedAt()) + "  "
                        + Terminal.clean(e.path()) + "  " + Terminal.clean(e.reason()));
            }
            err.println(rows.size() + " flagged image" + (rows.size() == 1 ? "" : "s") + " in " + store.file());
            return Main.OK;
        }
        if (unflag != null) {
            CurationEntry lifted = store.unflag(unflag);
            err.println("unflagged " + Terminal.clean(lifted.path()) + " (was: " + Terminal.clean(lifted.reason())
                    + "); the next score run restores its cached score and re-selects its group");
            return Main.OK;
        }
        FlagPayload payload;
        if (path != null) {
            if (reason == null) throw new IllegalArgumentException("--reason is required with PATH: say why the image is bad");
            payload = new FlagPayload(path, reason);
        } else if (reason != null) {
            throw new IllegalArgumentException("--reason needs the image PATH before it");
        } else {
            if (main.stdin() == System.in && System.console() != null) {
                err.println("reading the flag payload from stdin: paste it, then press Ctrl-D (or give PATH --reason \"…\")");
                err.flush();
            }
            payload = FlagPayload.parse(readPayload(main.stdin()));
        }
        CurationStore.Flagged done = store.flag(payload.path(), payload.reason());
        String p = Terminal.clean(done.entry().path());
        err.println((done.previousReason() == null ? "flagged " : "re-flagged ") + p + ": " + Terminal.clean(done.entry().reason())
                + (done.previousReason() == null ? "" : " (was: " + Terminal.clean(done.previousReason()) + ")"));
        err.println("the next score run rejects it (score 0, rejected_by \"human\") without a provider call; "
                + "commit " + Terminal.clean(site.root().root().relativize(store.file().toAbsolutePath().normalize()).toString()));
        return Main.OK;
    }

    static String readPayload(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(FlagPayload.MAX_BYTES + 1);
        if (bytes.length > FlagPayload.MAX_BYTES) {
            throw new IllegalArgumentException("the flag payload on stdin is over " + FlagPayload.MAX_BYTES / 1024
                    + " KiB; expected one {\"path\": …, \"reason\": …} object");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
