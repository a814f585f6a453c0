package dev.imagevision.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.InputStream;
import java.io.PrintWriter;

/** The {@code imagevision} command: one subcommand per job. */
@Command(name = "imagevision", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Curates a site's images at build time: vision scores, smart crops, manifest, audit report.",
        subcommands = {ScoreCommand.class, ReportCommand.class, PreviewCommand.class, ReviewCommand.class, FlagCommand.class,
                ValidateCommand.class, EvalCommand.class, DemoCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:the run completed (per-image failures are listed, not fatal)",
                "1:an unexpected internal error",
                "2:bad input: malformed JSON, bad config, unknown flag value, usage error; for flag: unknown path, "
                        + "empty reason, malformed payload; for validate: a manifest that is malformed, breaks the schema "
                        + "or names a missing variant file",
                "3:the per-run cost hard cap halted scoring (everything already scored is kept)",
                "4:another run holds this site's lock",
                "5:an output file could not be written (disk full, permissions); previous outputs are intact",
                "130:interrupted by SIGINT (Ctrl-C): work in flight finished or was abandoned, no file half-written",
                "143:interrupted by SIGTERM: as for 130"})
public final class Main {
    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int BAD_INPUT = 2;
    public static final int COST_HALT = 3;
    public static final int LOCKED = 4;
    public static final int WRITE_FAILED = 5;

    /** The process: SIGTERM and SIGINT end a command in order (see {@link Interruption}). */
    public static void main(String[] args) {
        Interruption interruption;
        try {
            interruption = Interruption.install(Thread.currentThread(), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("imagevision: " + e.getMessage());
            System.exit(BAD_INPUT);
            return;
        }
        CommandLine cli = Failures.install(new CommandLine(new Main(System.in, interruption)));
        interruption.attach(cli);
        int code = cli.execute(args);
        interruption.commandEnded();
        System.exit(code);
    }

    /** Where commands that read input (the flag payload) read it; System.in unless a test gives another. */
    private final InputStream stdin;
    private final Interruption interruption;

    Main(InputStream stdin, Interruption interruption) {
        this.stdin = stdin;
        this.interruption = interruption;
    }

    Main(InputStream stdin) {
        this(stdin, Interruption.NONE);
    }

    public Main() {
        this(System.in);
    }

    InputStream stdin() {
        return stdin;
    }

    Interruption interruption() {
        return interruption;
    }

    /** This command line is the process ({@link #main}), not a command run inside another program. */
    boolean ownsProcess() {
        return interruption != Interruption.NONE;
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line (tests set its output streams). */
    public static CommandLine commandLine() {
        return Failures.install(new CommandLine(new Main()));
    }

    /** Runs a command with the given standard streams (so tests can pipe a payload and read the output). */
    public static int run(InputStream in, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main(in));
        cli.setOut(out);
        cli.setErr(err);
        Failures.install(cli);
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            java.util.Properties p = new java.util.Properties();
            try (var in = Main.class.getResourceAsStream("/dev/imagevision/version.properties")) {
                if (in != null) p.load(in);
            } catch (java.io.IOException e) {
                // no version to show: said below
            }
            return new String[] {"imagevision " + p.getProperty("version", "(version unknown: not built by Maven)")};
        }
    }
}
