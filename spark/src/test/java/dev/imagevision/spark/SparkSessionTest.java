package dev.imagevision.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine itself: Spark 4.2 starts embedded in local[2] beside the project's Jackson and runs a job. */
class SparkSessionTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("local[2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void aJobRunsOnTwoCoresWithTheProjectsJackson() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> squares = jsc.parallelize(List.of(1, 2, 3, 4), 2).map(i -> i * i).collect();
        assertThat(squares).containsExactly(1, 4, 9, 16);
        assertThat(jsc.defaultParallelism()).isEqualTo(2);
        // one Jackson on the class path: Spark 4.2's, which the core is built on too
        assertThat(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString()).startsWith("2.21.");
        assertThat(SparkPipeline.executors(jsc)).isEqualTo(1);
    }
}
