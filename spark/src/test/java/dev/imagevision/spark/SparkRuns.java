package dev.imagevision.spark;

import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.testing.Runs;
import org.apache.spark.sql.SparkSession;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Spark runs for tests: the CLI tests' fixed clock, the site given as a file:// URI (the Hadoop code path). */
final class SparkRuns {
    private SparkRuns() {}

    static final ScopeRequest ALL = new ScopeRequest(null, null, null, null, null, null, true, false);

    static SparkPipeline.Options options(Path root, ScopeRequest scope, String provider, int partitions,
                                         ProviderFactory providers, PrintStream log) {
        return new SparkPipeline.Options(root.toUri().toString(), scope, false, false, false, false, provider, true,
                Runs.CLOCK, log, partitions, providers);
    }

    static SparkPipeline.Result local(SparkSession spark, Path root, ScopeRequest scope, int partitions) throws IOException {
        return SparkPipeline.run(spark, options(root, scope, "local", partitions, ProviderFactory.CONFIGURED,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    }

    /** Every file a run wrote, less the cache: what the site publishes. */
    static Map<String, String> outputs(Path root) {
        Map<String, String> out = new TreeMap<>();
        dev.imagevision.testing.SampleSite.snapshot(root, false)
                .forEach((k, v) -> out.put(k, java.util.HexFormat.of().formatHex(sha(v))));
        return out;
    }

    private static byte[] sha(byte[] b) {
        return dev.imagevision.cache.Hashing.sha256().digest(b);
    }
}
