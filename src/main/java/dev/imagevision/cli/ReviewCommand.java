package dev.imagevision.cli;

import dev.imagevision.curation.CurationStore;
import dev.imagevision.report.ReviewServer;
import dev.imagevision.site.Site;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code imagevision review}: the report served on 127.0.0.1, where flags and crop fixes are saved directly. */
@Command(name = "review", mixinStandardHelpOptions = true,
        description = "Serve the audit report on 127.0.0.1 (this machine only) until Ctrl-C. Flag, unflag and drag focal "
                + "points and subject boxes in the page; each change is written to the curation file at once. "
                + "Run `imagevision score` afterwards to re-select and re-crop (no provider call).")
public final class ReviewCommand implements Callable<Integer> {
    @Mixin
    SiteOptions site;

    @Option(names = "--port", paramLabel = "N", description = "Port on 127.0.0.1 (default: any free port).")
    int port;

    @Option(names = "--client-timeout", paramLabel = "SECONDS", description = "How long a client may take to send a "
            + "request before its connection is closed (default: 10); a slow or stuck client never holds up others.")
    long clientTimeout = ReviewServer.Limits.DEFAULT_TIMEOUT.toSeconds();

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        if (clientTimeout < 1 || clientTimeout > 3600) {
            throw new IllegalArgumentException("--client-timeout must be 1..3600 seconds, got " + clientTimeout);
        }
        // the JDK server reads its limits once per process: set them only in a process of our own
        if (main != null && main.ownsProcess()) {
            ReviewServer.Limits.of(Duration.ofSeconds(clientTimeout), ReviewServer.Limits.Capacity.ofThisProcess())
                    .applyToThisProcess();
        }
        Site loaded = site.load();
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        PrintWriter err = spec.commandLine().getErr();
        PrintStream log = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                err.write(b);
            }

            @Override
            public void flush() {
                err.flush();
            }
        }, true);
        CurationStore store = CurationStore.of(loaded, Clocks.fromEnvironment(System.getenv()));
        try (ReviewServer server = ReviewServer.start(loaded, store, HexFormat.of().formatHex(secret), log, port,
                new dev.imagevision.crop.OpenCvCodec())) {
            spec.commandLine().getOut().println(server.uri());
            spec.commandLine().getOut().flush();
            err.println("review: serving " + loaded.root().root() + " on " + server.uri() + " (this machine only); "
                    + "changes go to " + store.file() + "; Ctrl-C stops");
            err.flush();
            new CountDownLatch(1).await(); // until the process is stopped or this thread is interrupted
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Main.OK;
    }
}
