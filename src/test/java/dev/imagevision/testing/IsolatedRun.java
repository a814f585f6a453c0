package dev.imagevision.testing;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs a class of checks (jqwik properties or JUnit tests) in a JVM of its own and reports how it
 * went. For checks that drive native decoders over damaged files: libpng and libjpeg write a line
 * per damaged chunk straight to the process's stderr, where no Java stream can catch it; in a
 * child JVM that stderr goes to a file instead of the build's output, and the checks' own
 * assertions decide the result as before.
 */
public final class IsolatedRun {
    /** The child's summary, its native stderr as a file, and its exit code. */
    public record Result(int exitCode, String summary, Path nativeErr) {}

    private IsolatedRun() {}

    /** The child's entry point: runs the class given as the argument, prints the summary, exits 0 when all passed. */
    public static void main(String[] args) {
        Launcher launcher = LauncherFactory.create();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(args[0])).build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary s = listener.getSummary();
        StringWriter text = new StringWriter();
        s.printTo(new PrintWriter(text));
        s.printFailuresTo(new PrintWriter(text), 40);
        System.out.println(text);
        System.out.flush();
        System.exit(s.getTotalFailureCount() == 0 && s.getTestsSucceededCount() > 0 ? 0 : 1);
    }

    /** Runs {@code checks} in a child JVM with this JVM's class path and flags. */
    public static Result run(Class<?> checks, Path workDir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--enable-native-access") || a.startsWith("-Xss") || a.startsWith("--sun-misc")
                    || a.startsWith("-Djavacpp")) command.add(a);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(IsolatedRun.class.getName());
        command.add(checks.getName());
        Path out = workDir.resolve(checks.getSimpleName() + ".out");
        Path err = workDir.resolve(checks.getSimpleName() + ".native-stderr.txt");
        Process p = new ProcessBuilder(command).directory(new File(System.getProperty("user.dir")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        int code = p.waitFor();
        return new Result(code, Files.readString(out), err);
    }
}
