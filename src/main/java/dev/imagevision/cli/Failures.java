package dev.imagevision.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
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
public final class Failures implements CommandLine.IExecutionExceptionHandler {

    /**
     * How a {@code --json} run that failed ends: the stderr line (without the program name) and the exit
     * code; a run a signal stopped says {@code "interrupted"}, names the signal and explains.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Ending(@JsonProperty("error") String error, @JsonProperty("exit_code") int exitCode,
                  @JsonProperty("signal") String signal, @JsonProperty("message") String message) {
        Ending(String error, int exitCode) {
            this(error, exitCode, null, null);
        }
    }

    /** Both failure paths of a command line: its usage errors and the exceptions its commands throw. */
    /** Every command's --help offers -V/--version: each one answers it, not only the top one. */
    private static void everySubcommandKnowsTheVersion(CommandLine cli) {
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (sub.getCommandSpec().versionProvider() == null) sub.getCommandSpec().versionProvider(new Main.Version());
            everySubcommandKnowsTheVersion(sub);
        }
    }

    public static CommandLine install(CommandLine cli) {
        CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
        cli.setParameterExceptionHandler((ex, args) -> {
            int code = usage.handleParseException(ex, args); // picocli's message and suggestions on stderr
            if (jsonRequested(ex.getCommandLine())) printJson(ex.getCommandLine(), ex.getMessage(), code);
            return code;
        });
        cli.setExecutionExceptionHandler(new Failures());
        everySubcommandKnowsTheVersion(cli);
        return cli;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.hasMatchedOption("--verbose") || parsed.subcommands().stream()
                .anyMatch(p -> p.hasMatchedOption("--verbose"));
        Interruption.Stop stop = interruption(cmd).received();
        if (stop != null) {
            // whatever the stop made the command throw (an interrupted wait, a write cut short), the cause is the signal
            String message = Interruption.message(stop);
            cmd.getErr().println("imagevision: " + message);
            if (verbose) e.printStackTrace(cmd.getErr());
            cmd.getErr().flush();
            if (jsonRequested(cmd)) print(cmd, interruptedJson(stop, message));
            return stop.exitCode;
        }
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
            dev.imagevision.cache.LeftIncompleteException torn = leftIncomplete(io);
            message = "could not write outputs: " + io.getMessage() + (torn == null
                    ? " (every file is either as it was or complete; the previous manifest, ledger and cache are intact). "
                    : (io == torn ? "" : " (" + torn.getMessage() + ")") + ". Every other file is either as it was or complete. ")
                    + (refused(io)
                    ? "This site cannot be written here (read-only, or no permission): a run with nothing to write "
                            + "succeeds on such a site, this one had something to write; run it where the site is writable"
                    : "Free disk space, raise the file size limit (ulimit -f) or fix permissions, then run again: the next run "
                            + "continues where this one stopped");
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

    /** The one kind of failed write that leaves a file not as it was (see its message), or null. */
    private static dev.imagevision.cache.LeftIncompleteException leftIncomplete(Throwable io) {
        for (Throwable t = io; t != null; t = t.getCause()) {
            if (t instanceof dev.imagevision.cache.LeftIncompleteException e) return e;
        }
        return null;
    }

    /** The file system refused the write (read-only, no permission), as opposed to failing it (disk full). */
    private static boolean refused(Throwable io) {
        for (Throwable t = io; t != null; t = t.getCause()) {
            if (t instanceof java.nio.file.FileSystemException f && f.getFile() != null && io instanceof IOException e) {
                return dev.imagevision.cache.AtomicFiles.refused(e, java.nio.file.Path.of(f.getFile()));
            }
        }
        return false;
    }

    /** As {@link #jsonRequested(CommandLine)}, from the root's parse result down (for a thread outside the command). */
    static boolean jsonRequested(CommandLine.ParseResult r) {
        if (r == null) return false;
        if (r.hasMatchedOption("--json")) return true;
        for (CommandLine.ParseResult sub : r.subcommands()) {
            if (jsonRequested(sub)) return true;
        }
        return false;
    }

    /** The signal handling of the process the command runs in ({@link Interruption#NONE} inside another program). */
    static Interruption interruption(CommandLine cmd) {
        Object root = cmd.getCommandSpec().root().userObject();
        return root instanceof Main m ? m.interruption() : Interruption.NONE;
    }

    /** The one JSON object of a run a signal stopped: {@code {"error": "interrupted", "exit_code": 143, …}}. */
    static String interruptedJson(Interruption.Stop stop, String message) {
        return json(new Ending("interrupted", stop.exitCode, stop.name(), Terminal.clean(message)));
    }

    private static void printJson(CommandLine cmd, String message, int code) {
        // the same text as the stderr line, kept on one line (the writer escapes what is not ASCII)
        print(cmd, json(new Ending(Terminal.clean(message), code)));
    }

    private static void print(CommandLine cmd, String line) {
        PrintWriter out = cmd.getOut();
        out.println(line);
        out.flush();
    }

    private static String json(Ending ending) {
        try {
            return dev.imagevision.site.Json.COMPACT.writeValueAsString(ending);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("cannot serialise a failure as JSON", impossible);
        }
    }
}
