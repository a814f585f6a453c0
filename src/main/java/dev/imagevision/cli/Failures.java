package dev.imagevision.cli;

import dev.imagevision.pipeline.RunLock;
import dev.imagevision.scope.ScopeException;
import dev.imagevision.site.SiteFileException;
import picocli.CommandLine;

import java.io.IOException;

/** Turns what went wrong into one clear line and a documented exit code; stack traces only with --verbose. */
final class Failures implements CommandLine.IExecutionExceptionHandler {
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
        return code;
    }
}
