package dev.imagevision.spark;

import dev.imagevision.cli.Failures;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code imagevision-spark}: the pipeline on Apache Spark. Embedded ({@code local[*]}) from
 * {@code bin/imagevision-spark}; the same class under {@code spark-submit --class
 * dev.imagevision.spark.SparkMain --master yarn|k8s://…}.
 */
@Command(name = "imagevision-spark", mixinStandardHelpOptions = true,
        description = "Runs imagevision's score pipeline on Apache Spark: the per-image work in tasks, the site on any "
                + "Hadoop file system (file://, hdfs://, s3a://).",
        subcommands = {SparkScoreCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the run completed (per-image failures are listed, not fatal)", "1:an unexpected internal error",
                "2:bad input or a usage error", "3:the per-run cost hard cap left images unscored (they are named)",
                "5:an output could not be written"})
public final class SparkMain {
    public static void main(String[] args) {
        int code = Failures.install(new CommandLine(new SparkMain())).execute(args);
        System.exit(code);
    }
}
