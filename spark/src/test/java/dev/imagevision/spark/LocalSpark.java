package dev.imagevision.spark;

import org.apache.spark.sql.SparkSession;

/** An embedded Spark for tests: {@code local[2]}, no UI, bound to the loopback address. One per test class. */
final class LocalSpark {
    private LocalSpark() {}

    /** @param master e.g. {@code local[2]}, or {@code local[2,2]} for a second attempt of a failed task */
    static SparkSession start(String master) {
        return SparkSession.builder().master(master).appName("imagevision-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.speculation", "false")
                .getOrCreate();
    }
}
