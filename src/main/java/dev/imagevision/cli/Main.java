package dev.imagevision.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code imagevision} command: one subcommand per job. */
@Command(name = "imagevision", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Curates a site's images at build time: vision scores, smart crops, manifest, audit report.",
        subcommands = {ScoreCommand.class, DemoCommand.class, EvalCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:the run completed (per-image failures are listed, not fatal)",
                "1:an unexpected internal error",
                "2:bad input: malformed JSON, bad config, unknown flag value, usage error",
                "3:the per-run cost hard cap halted scoring (everything already scored is kept)",
                "4:another run holds this site's lock",
                "5:an output file could not be written (disk full, permissions); previous outputs are intact"})
public final class Main {
    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int BAD_INPUT = 2;
    public static final int COST_HALT = 3;
    public static final int LOCKED = 4;
    public static final int WRITE_FAILED = 5;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new Failures());
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"imagevision " + (v == null ? "dev" : v)};
        }
    }
}
