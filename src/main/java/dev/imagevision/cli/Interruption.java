package dev.imagevision.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.Writer;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SIGTERM and SIGINT ask the running command to stop, as an orderly end rather than a crash: no new
 * work starts (the command's thread is interrupted, and {@code FanOut} starts no further task), work
 * in flight gets a grace period to finish (a paid call completes and is journaled and cached; a write
 * completes or removes its temporary file), the run lock is released, and the command ends as
 * {@code interrupted} with the shell's code for the signal (143, 130), with {@code --json} still
 * printing its one JSON object. Work still in flight when the grace period ends is abandoned: the
 * process exits then (a paid call in flight is already in the ledger journal at its ceiling, as
 * after a kill). A second signal stops at once.
 *
 * <p>Only the process entry point installs this; a command run inside another program (the tests)
 * leaves that program's signals alone ({@link #NONE}).
 */
final class Interruption {
    /** How long work in flight may take to finish after the signal; {@code IMAGEVISION_STOP_SECONDS} overrides. */
    static final Duration GRACE = Duration.ofSeconds(10);
    static final String GRACE_VARIABLE = "IMAGEVISION_STOP_SECONDS";

    /** The signals handled, with the exit code a shell reports for a process they end (128 + number). */
    enum Stop {
        SIGTERM("TERM", 143), SIGINT("INT", 130);

        final String posixName;
        final int exitCode;

        Stop(String posixName, int exitCode) {
            this.posixName = posixName;
            this.exitCode = exitCode;
        }
    }

    /** For commands run inside another program: never signalled. */
    static final Interruption NONE = new Interruption(null, GRACE);

    private final Thread command;
    private final Duration grace;
    private final AtomicReference<Stop> received = new AtomicReference<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile CommandLine cli;
    private volatile OneObject stdout;

    private Interruption(Thread command, Duration grace) {
        this.command = command;
        this.grace = grace;
    }

    /** The signal that asked this command to stop, or null. */
    Stop received() {
        return received.get();
    }

    /** The line (stderr) and {@code error} text of a command that a signal stopped after its work in flight ended. */
    static String message(Stop s) {
        return "interrupted by " + s + ": no new work was started and the work in flight finished; every file is as "
                + "it was or complete. Run again to continue where this run stopped";
    }

    /**
     * Handles SIGTERM and SIGINT for {@code command} (the thread running the command line). A
     * signal the process was started ignoring (SIGINT in a background job) stays ignored.
     */
    static Interruption install(Thread command, Map<String, String> env) {
        Interruption i = new Interruption(command, grace(env));
        for (Stop s : Stop.values()) handle(s, i::signalled);
        return i;
    }

    static Duration grace(Map<String, String> env) {
        String v = env.get(GRACE_VARIABLE);
        if (v == null || v.isBlank()) return GRACE;
        try {
            long seconds = Long.parseLong(v.strip());
            if (seconds >= 0 && seconds <= 3600) return Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new IllegalArgumentException(GRACE_VARIABLE + "=" + v + " is not a number of seconds from 0 to 3600");
    }

    /**
     * Routes the command line's stdout through a gate so that a command stopped past its grace period
     * still ends with exactly one JSON object, and never two.
     */
    void attach(CommandLine cli) {
        this.cli = cli;
        this.stdout = new OneObject(cli.getOut());
        cli.setOut(new PrintWriter(stdout, true));
    }

    /** The command has returned and printed what it prints; the process exits next. */
    void commandEnded() {
        ended.countDown();
    }

    private void signalled(Stop s) {
        if (!received.compareAndSet(null, s)) {
            abandon(received.get(), "a second signal (" + s + ") stopped it at once");
            return;
        }
        CommandLine c = cli;
        if (c != null) {
            c.getErr().println("imagevision: " + s + " received: no new work starts; work in flight may take up to "
                    + grace.toSeconds() + " s to finish (a second signal stops at once)");
            c.getErr().flush();
        }
        command.interrupt();
        Thread deadline = new Thread(() -> {
            try {
                if (!ended.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    abandon(s, "work still in flight after " + grace.toSeconds() + " s was abandoned");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "imagevision-stop-deadline");
        deadline.setDaemon(true);
        deadline.start();
    }

    /** Ends the process now, with the signal's code and, when asked for, the one JSON object. */
    private void abandon(Stop s, String how) {
        CommandLine c = cli;
        String message = "interrupted by " + s + ": " + how + " (a paid call in flight is in the ledger journal at its "
                + "ceiling; no file is left half-written). Run again to continue where this run stopped";
        if (c != null) {
            c.getErr().println("imagevision: " + Terminal.clean(message));
            c.getErr().flush();
            if (Failures.jsonRequested(c.getParseResult())) stdout.last(Failures.interruptedJson(s, message));
        }
        Runtime.getRuntime().exit(s.exitCode); // shutdown hooks still remove temporary files being written
    }

    /**
     * The JVM's own signal API: {@code sun.misc.Signal} (module jdk.unsupported, there since Java 1.x and
     * what every long-running JVM program uses for this). Reached reflectively because javac's warning
     * for it cannot be silenced and the build must stay quiet.
     */
    private static void handle(Stop s, java.util.function.Consumer<Stop> onSignal) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object h = Proxy.newProxyInstance(Interruption.class.getClassLoader(), new Class<?>[] {handler}, (proxy, m, args) -> {
                if (m.getName().equals("handle")) {
                    onSignal.accept(s);
                    return null;
                }
                return switch (m.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "signal handler for " + s;
                };
            });
            Object sig = signal.getConstructor(String.class).newInstance(s.posixName);
            Object previous = signal.getMethod("handle", signal, handler).invoke(null, sig, h);
            // a signal ignored since the start (SIGINT in a shell's background job) must stay ignored
            if (previous != null && previous.equals(handler.getField("SIG_IGN").get(null))) {
                signal.getMethod("handle", signal, handler).invoke(null, sig, previous);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // no signal API in this runtime: the JVM's default applies (exit 128 + n, no JSON object)
        }
    }

    /**
     * Stdout that knows whether anything was printed: the object an abandoned command prints is its
     * only output, and nothing after it is printed.
     */
    static final class OneObject extends Writer {
        private final Writer out;
        private boolean wrote;
        private boolean closed;

        OneObject(Writer out) {
            this.out = out;
        }

        @Override
        public synchronized void write(char[] buf, int off, int len) throws java.io.IOException {
            if (closed || len == 0) return;
            wrote = true;
            out.write(buf, off, len);
        }

        @Override
        public synchronized void flush() throws java.io.IOException {
            if (!closed) out.flush();
        }

        @Override
        public void close() throws java.io.IOException {
            flush();
        }

        /** Prints {@code line} unless the command already printed, and then nothing more. */
        synchronized void last(String line) {
            if (!closed && !wrote) {
                try {
                    out.write(line + System.lineSeparator());
                    out.flush();
                } catch (java.io.IOException e) {
                    // stdout is gone: nothing to tell
                }
            }
            closed = true;
        }
    }
}
