package dev.imagevision.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagevision.cli.InProcess;
import dev.imagevision.ledger.CostLedger;
import dev.imagevision.pipeline.RunLock;
import dev.imagevision.testing.Cli;
import dev.imagevision.vision.anthropic.FakeAnthropic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM and SIGINT sent to a real {@code imagevision score --json} process while a paid call is in
 * flight (the fake API holds the reply, so the moment is exact, not a timing guess). The run ends in
 * order: the call in flight finishes (or, past the grace period, is abandoned at its ceiling in the
 * journal), nothing new starts, no temporary file is left, the lock is free, stdout holds exactly one
 * JSON object {@code {"error": "interrupted", "exit_code": 143 | 130, …}}, and the next run finishes
 * the job with the same outputs as an uninterrupted run and without paying twice.
 */
@Tag("reliability")
class SignalTest {
    static final int IMAGES = 4; // one is on the deny-list: three paid calls in all
    static final ObjectMapper JSON = new ObjectMapper();

    /** A small site; the stopped run scores one call at a time, so "no new work starts" shows in the calls billed. */
    static Path site(Path dir) throws Exception {
        return KillTest.smallSite(dir, IMAGES);
    }

    /** Configures the site for one call at a time; returns its config as it was, for the re-run. */
    static byte[] oneCallAtATime(Path site) throws Exception {
        Path config = site.resolve("imagevision.json");
        byte[] original = Files.readAllBytes(config);
        Files.writeString(config, "{\"provider\": \"anthropic\", \"concurrency\": 1}\n");
        return original;
    }

    /** The process, started so that SIGINT reaches it even when this JVM was started ignoring it (a background job). */
    static Process start(Path site, Map<String, String> env, Path stdout) throws Exception {
        ProcessBuilder pb = Cli.command(site, env, "score", "--root", ".", "--provider", "anthropic", "--json")
                .redirectOutput(stdout.toFile());
        if (sigintIgnoredHere()) {
            List<String> cmd = new ArrayList<>(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die $!"));
            cmd.addAll(pb.command());
            pb.command(cmd);
        }
        return pb.start();
    }

    static boolean sigintIgnoredHere() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 0x2) != 0;
        }
        return false;
    }

    static void signal(Process p, String name) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start().waitFor()).isZero();
    }

    /** The process's stderr, line by line as it comes (read on a thread; the test waits on lines, never sleeps). */
    static BlockingQueue<String> lines(Process p, StringBuilder all) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (all) {
                        all.append(line).append('\n');
                    }
                    q.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        }, "stderr");
        t.setDaemon(true);
        t.start();
        return q;
    }

    static void awaitLine(BlockingQueue<String> q, String part) throws InterruptedException {
        for (String line; (line = q.poll(60, TimeUnit.SECONDS)) != null; ) {
            if (line.contains(part)) return;
        }
        throw new AssertionError("no stderr line containing \"" + part + "\" within 60 s");
    }

    /** Exactly one JSON value on stdout, the interrupted ending. */
    static JsonNode oneObject(Path stdout) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        try (var it = JSON.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(stdout))) {
            while (it.hasNext()) all.add(it.next());
        }
        assertThat(all).as("stdout: %s", Files.readString(stdout)).hasSize(1);
        return all.get(0);
    }

    static void assertNoTemporaryFiles(Path site) throws Exception {
        try (Stream<Path> files = Files.walk(site)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList())
                    .as("temporary files left").isEmpty();
        }
    }

    /** The lock is free for the next run right away (it is the OS's; this shows nothing else holds it). */
    static void assertLockFree(Path site) throws Exception {
        try (RunLock lock = RunLock.acquire(site.resolve(".image-cache"))) {
            assertThat(lock).isNotNull();
        }
    }

    @Test
    void sigtermWhileACallIsInFlightFinishesThatCallStartsNothingNewAndEndsWith143AndOneObject(@TempDir Path dir)
            throws Exception {
        Map<String, byte[]> expected = RunLockProcessTest.singleRun(dir);
        Path site = site(dir.resolve("term"));
        try (FakeAnthropic api = new FakeAnthropic()) {
            AtomicReference<Process> running = new AtomicReference<>();
            AtomicReference<BlockingQueue<String>> stderr = new AtomicReference<>();
            AtomicBoolean sent = new AtomicBoolean();
            api.onBilled((moment, billed) -> {
                if (moment != FakeAnthropic.Moment.BEFORE_REPLY || !sent.compareAndSet(false, true)) return;
                try {
                    signal(running.get(), "TERM"); // not Process.destroy(): that also closes our end of its stderr
                    awaitLine(stderr.get(), "SIGTERM received"); // the run knows before this reply reaches it
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Path stdout = dir.resolve("term.out");
            StringBuilder log = new StringBuilder();
            byte[] config = oneCallAtATime(site);
            Process p = start(site, AnthropicKillTest.env(api), stdout);
            stderr.set(lines(p, log));
            running.set(p);
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the stopped run ended").isTrue();
            Files.write(site.resolve("imagevision.json"), config);

            assertThat(p.exitValue()).as("exit code; stderr:%n%s", log).isEqualTo(143);
            JsonNode ending = oneObject(stdout);
            assertThat(ending.get("error").asText()).isEqualTo("interrupted");
            assertThat(ending.get("exit_code").asInt()).isEqualTo(143);
            assertThat(ending.get("signal").asText()).isEqualTo("SIGTERM");
            assertThat(ending.get("message").asText()).as("stderr:%n%s", log).contains("work in flight finished");
            assertThat(log.toString()).contains("imagevision: interrupted by SIGTERM");
            assertNoTemporaryFiles(site);
            assertLockFree(site);
            Outputs.assertReadable(site, "after SIGTERM");
            assertThat(api.billed).as("the call in flight finished; none started after the signal").hasSize(1);
            Outputs.Accounting paid = Outputs.account(site, List.copyOf(api.billed), "after SIGTERM");
            assertThat(paid.confirmed()).as("the finished call is in the ledger with its real usage").isEqualTo(1);

            api.onBilled((moment, billed) -> {});
            InProcess.Result rerun = InProcess.score(AnthropicKillTest.rerunEnv(api), "score", "--root", site.toString(),
                    "--provider", "anthropic");
            assertThat(rerun.code()).as(rerun.output()).isZero();
            RunLockProcessTest.assertSameAs(expected, site, "after SIGTERM and a re-run");
            Outputs.Accounting all = Outputs.account(site, List.copyOf(api.billed), "after the re-run");
            assertThat(all.billed()).as("the finished call was kept, not paid again").isEqualTo(IMAGES - 1);
            assertThat(all.confirmed()).isEqualTo(IMAGES - 1);
        }
    }

    @Test
    void sigintPastTheGracePeriodAbandonsTheCallInFlightAtItsCeilingAndEndsWith130AndOneObject(@TempDir Path dir)
            throws Exception {
        Map<String, byte[]> expected = RunLockProcessTest.singleRun(dir);
        Path site = site(dir.resolve("int"));
        try (FakeAnthropic api = new FakeAnthropic()) {
            AtomicReference<Process> running = new AtomicReference<>();
            AtomicBoolean sent = new AtomicBoolean();
            api.onBilled((moment, billed) -> {
                if (moment != FakeAnthropic.Moment.BEFORE_REPLY || !sent.compareAndSet(false, true)) return;
                try {
                    signal(running.get(), "INT");
                    // the reply is held until the process is gone: the call outlives the grace period
                    running.get().onExit().get(2, TimeUnit.MINUTES);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Path stdout = dir.resolve("int.out");
            StringBuilder log = new StringBuilder();
            Map<String, String> env = new HashMap<>(AnthropicKillTest.env(api));
            env.put("IMAGEVISION_STOP_SECONDS", "1");
            byte[] config = oneCallAtATime(site);
            Process p = start(site, env, stdout);
            lines(p, log);
            running.set(p);
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the stopped run ended").isTrue();
            Files.write(site.resolve("imagevision.json"), config);

            assertThat(p.exitValue()).as("exit code; stderr:%n%s", log).isEqualTo(130);
            JsonNode ending = oneObject(stdout);
            assertThat(ending.get("error").asText()).isEqualTo("interrupted");
            assertThat(ending.get("exit_code").asInt()).isEqualTo(130);
            assertThat(ending.get("signal").asText()).isEqualTo("SIGINT");
            assertThat(ending.get("message").asText()).contains("abandoned");
            assertNoTemporaryFiles(site);
            assertLockFree(site);
            Outputs.assertReadable(site, "after SIGINT");
            assertThat(api.billed).hasSize(1);
            // the abandoned call is in the journal at its ceiling: fold a copy and look
            Path copy = Files.createDirectories(dir.resolve("folded/static/data"));
            if (Files.exists(site.resolve(Outputs.LEDGER))) Files.copy(site.resolve(Outputs.LEDGER), copy.resolve("image-vision-cost-ledger.json"));
            assertThat(site.resolve(Outputs.JOURNAL)).as("the journal holds the call in flight").exists();
            CostLedger.fold(copy.resolve("image-vision-cost-ledger.json"),
                    Files.copy(site.resolve(Outputs.JOURNAL), dir.resolve("folded/journal.jsonl")));
            Outputs.Accounting abandoned = Outputs.account(dir.resolve("folded"), List.copyOf(api.billed), "after SIGINT");
            assertThat(abandoned.ceilingsForBilled()).as("the abandoned call is charged its ceiling").isEqualTo(1);

            api.onBilled((moment, billed) -> {});
            InProcess.Result rerun = InProcess.score(AnthropicKillTest.rerunEnv(api), "score", "--root", site.toString(),
                    "--provider", "anthropic");
            assertThat(rerun.code()).as(rerun.output()).isZero();
            RunLockProcessTest.assertSameAs(expected, site, "after SIGINT and a re-run");
            Outputs.account(site, List.copyOf(api.billed), "after the re-run");
        }
    }
}
