package dev.imagevision.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.imagevision.pipeline.RunLock;
import dev.imagevision.scope.ScopeException;
import dev.imagevision.site.SiteFileException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * Turns what went wrong into one clear line and a documented exit code; stack traces only with --verbose.
 * A command run with {@code --json} promised one JSON object on stdout however it ends, so a failure
 * also prints {@link Ending} there (stderr keeps the human line): a script never has to tell "no
 * output" from "no summary".
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {

    /** How a {@code --json} run that failed ends: the stderr line (without the program name) and the exit code. */
    record Ending(@JsonProperty("error") String error, @JsonProperty("exit_code") int exitCode) {}

    /** Both failure paths of a command line: its usage errors and the exceptions its commands throw. */
    static CommandLine install(CommandLine cli) {
        CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
        cli.setParameterExceptionHandler((ex, args) -> {
            int code = usage.handleParseException(ex, args); // picocli's message and suggestions on stderr
            if (jsonRequested(ex.getCommandLine())) printJson(ex.getCommandLine(), ex.getMessage(), code);
            return code;
        });
        cli.setExecutionExceptionHandler(new Failures());
        return cli;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.hasMatchedOption("--verbose") || parsed.subcommands().stream()
                .anyMatch(p -> p.hasMatchedOption("--verbose"));
        int code;
        String message;
        if (e instanceof SiteFileException || e instanceof ScopeException || e instanceof CommandLine.ParameterException
                || e instanceof IllegalArgumentException) {
            code = Main.BAD_INPUT;
            message = e.getMessage();
        } else if (e instanceof RunLock.LockedException) {
            code = Main.LOCKED;
            message = e.getMessage();
        } else if (e instanceof IOException || e instanceof java.io.UncheckedIOException) {
            code = Main.WRITE_FAILED;
            Throwable io = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
            message = "could not write outputs: " + io.getMessage() + " (every file is either as it was or complete; "
                    + "the previous manifest, ledger and cache are intact). Free disk space or fix permissions, "
                    + "then run again: the next run continues where this one stopped";
        } else {
            code = Main.INTERNAL;
            message = "internal error: " + e;
        }
        cmd.getErr().println("imagevision: " + Terminal.clean(message));
        if (verbose) e.printStackTrace(cmd.getErr());
        cmd.getErr().flush();
        if (jsonRequested(cmd)) printJson(cmd, message, code);
        return code;
    }

    /** The failing command (or one it runs under) was given {@code --json}; a partial parse still knows. */
    static boolean jsonRequested(CommandLine cmd) {
        for (CommandLine c = cmd; c != null; c = c.getParent()) {
            CommandLine.ParseResult r = c.getParseResult();
            if (r != null && r.hasMatchedOption("--json")) return true;
        }
        return false;
    }

    private static void printJson(CommandLine cmd, String message, int code) {
        PrintWriter out = cmd.getOut();
        try {
            // the same text as the stderr line, kept on one line (the writer escapes what is not ASCII)
            out.println(dev.imagevision.site.Json.COMPACT.writeValueAsString(new Ending(Terminal.clean(message), code)));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("cannot serialise a failure as JSON", impossible);
        }
        out.flush();
    }
}
