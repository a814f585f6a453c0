package dev.imagevision.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.cli.Clocks;
import dev.imagevision.cli.ScoreCommand;
import dev.imagevision.cli.ScoreOptions;
import dev.imagevision.pipeline.RunSummary;
import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.site.Json;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code imagevision-spark score}: {@code imagevision score} with its flags, on Spark. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score, crop and write the manifest and audit report for the images in scope, on Spark. "
                + "With no scope flag only new or changed images are processed (--new-only).")
final class SparkScoreCommand implements Callable<Integer> {
    @Mixin
    ScoreOptions flags;

    @Option(names = "--root", paramLabel = "URI", description = "Site root: a folder, or a Hadoop file system URI "
            + "(file:///…, hdfs://…/site, s3a://bucket/site). Default: the current directory.")
    String root = ".";

    @Option(names = "--provider", paramLabel = "NAME", description = "anthropic or local (default: config \"provider\", else anthropic).")
    String provider;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[2]. Default: spark-submit's "
            + "--master, else local[*] (embedded).")
    String master;

    @Option(names = "--partitions", paramLabel = "N", description = "Tasks per phase at most (default: the cluster's parallelism).")
    int partitions;

    @Option(names = "--verbose", description = "Show stack traces for errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        flags.check();
        if (partitions < 0) throw new IllegalArgumentException("--partitions must be at least 1");
        if (flags.changedSince() != null) {
            throw new IllegalArgumentException("--changed-since needs the site's git work tree; the Spark engine reads the "
                    + "site through a file system URI. Use imagevision score, or another scope flag");
        }
        Map<String, String> env = System.getenv();
        PrintWriter err = spec.commandLine().getErr();
        PrintStream log = new PrintStream(new ScoreCommand.LineOutput(err), true, StandardCharsets.UTF_8);
        ScopeRequest scope = flags.scope(null);
        SparkSession spark = session(master);
        try {
            SparkPipeline.Result r = SparkPipeline.run(spark, new SparkPipeline.Options(root, scope, flags.forceScore(),
                    flags.skipScoring(), flags.skipCrops(), flags.dryRun(), provider, flags.writeReport(),
                    Clocks.fromEnvironment(env), log, partitions, ProviderFactory.CONFIGURED));
            RunSummary s = r.summary();
            ScoreCommand.printLines(s, scope.describe() + " on spark " + r.master(), r.provider(), err);
            if (flags.json()) {
                ObjectNode json = Json.COMPACT.valueToTree(s);
                json.put("engine", "spark");
                json.put("master", r.master());
                json.put("partitions", r.partitions());
                json.put("tasks", r.tasks());
                PrintWriter out = spec.commandLine().getOut();
                out.println(Json.COMPACT.writeValueAsString(json));
                out.flush();
            }
            return s.exitCode();
        } finally {
            spark.stop();
        }
    }

    /**
     * The session: under spark-submit its master and settings stand; run directly, an embedded one.
     * Speculative execution stays off unless asked for: a speculative copy of a task would send its
     * images to the paid API a second time.
     */
    static SparkSession session(String master) {
        SparkSession.Builder b = SparkSession.builder().appName("imagevision score");
        String submitted = System.getProperty("spark.master");
        if (master != null) b.master(master);
        else if (submitted == null) b.master("local[*]");
        String chosen = master != null ? master : submitted != null ? submitted : "local[*]";
        if (chosen.startsWith("local")) {
            b.config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1");
        }
        if (System.getProperty("spark.speculation") == null) b.config("spark.speculation", "false");
        return b.getOrCreate();
    }
}
