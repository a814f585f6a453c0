package dev.imagevision.cli;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs {@code imagevision score} inside the test JVM with its own environment, as the process
 * would (same command line, same exit-code mapping). Tests that need a real process, to kill it,
 * use {@code testing.Cli}; a run that only has to finish is much cheaper here (no JVM start, the
 * SDK and OpenCV already loaded).
 */
public final class InProcess {
    private InProcess() {}

    /** The exit code, what the command wrote to its out and err, and anything else printed to System.out/err. */
    public record Result(int code, String out, String err, String stray) {
        /** Everything the run printed, in one text. */
        public String output() {
            return out + err + stray;
        }
    }

    /** Anything printed to System.out/err is captured too; the streams are swapped before the CommandLine exists. */
    public static Result score(Map<String, String> env, String... args) {
        PrintStream sysOut = System.out;
        PrintStream sysErr = System.err;
        ByteArrayOutputStream stray = new ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintStream capture = new PrintStream(stray, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            CommandLine cli = new CommandLine(new Main());
            Failures.install(cli);
            ScoreCommand score = cli.getSubcommands().get("score").getCommand();
            score.environment = env;
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            code = cli.execute(args);
        } finally {
            System.setOut(sysOut);
            System.setErr(sysErr);
        }
        return new Result(code, out.toString(), err.toString(), stray.toString(StandardCharsets.UTF_8));
    }
}
