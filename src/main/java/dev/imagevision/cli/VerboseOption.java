package dev.imagevision.cli;

import picocli.CommandLine.Option;

/** {@code --verbose}, which every command accepts; {@link Failures} prints stack traces when it was given. */
public final class VerboseOption {
    @Option(names = "--verbose", description = "Show stack traces for errors.")
    boolean verbose;
}
