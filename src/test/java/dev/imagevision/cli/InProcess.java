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

    public record Result(int code, String output) {}

    /** Anything printed to System.out/err is captured too; the streams are swapped before the CommandLine exists. */
    public static Result score(Map<String, String> env, String... args) {
        PrintStream sysOut = System.out;
        PrintStream sysErr = System.err;
        ByteArrayOutputStream stray = new ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        int code;
        try (PrintStream capture = new PrintStream(stray, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            CommandLine cli = new CommandLine(new Main());
            cli.setExecutionExceptionHandler(new Failures());
            ScoreCommand score = cli.getSubcommands().get("score").getCommand();
            score.environment = env;
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(out, true));
            code = cli.execute(args);
        } finally {
            System.setOut(sysOut);
            System.setErr(sysErr);
        }
        return new Result(code, out + stray.toString(StandardCharsets.UTF_8));
    }
}
