package dev.imagevision.cli;

import picocli.CommandLine.Command;

/** {@code imagevision bench …}: the benchmarks the project ships. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks and benchmark fixtures.",
        subcommands = {BenchSiteCommand.class})
public final class BenchCommand {
}
