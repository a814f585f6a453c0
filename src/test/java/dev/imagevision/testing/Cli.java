package dev.imagevision.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts the real command in its own JVM, as a user or CI would, so it can be killed for real. */
public final class Cli {
    private Cli() {}

    public static final String FIXED_CLOCK = "2026-11-01T12:00:00Z";

    public static ProcessBuilder command(Path workDir, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.imagevision.cli.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().put("CI", "true");
        pb.environment().put("IMAGEVISION_FIXED_CLOCK", FIXED_CLOCK);
        pb.environment().putAll(env);
        return pb;
    }

    /** Runs to the end; returns the exit code. Output goes to the given log file. */
    public static int run(Path workDir, Map<String, String> env, File log, String... args) throws IOException, InterruptedException {
        Process p = command(workDir, env, args).redirectErrorStream(true).redirectOutput(log).start();
        return p.waitFor();
    }
}
