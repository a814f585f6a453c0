package dev.imagevision.reliability;

import dev.imagevision.cli.InProcess;
import dev.imagevision.cli.Main;
import dev.imagevision.testing.Cli;
import dev.imagevision.vision.anthropic.FakeAnthropic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One writer per site, between real processes: two {@code score} runs started at once, one runs
 * and the other refuses at once (exit 4) naming the lock and its holder; a lock whose holder was
 * SIGKILLed is free for the next run, which also clears what the killed run left half-written.
 */
@Tag("reliability")
class RunLockProcessTest {
    static final int IMAGES = 4;

    /** What a single uninterrupted run on a fresh copy writes (in this JVM: it only has to finish). */
    static Map<String, byte[]> singleRun(Path dir) throws Exception {
        try (FakeAnthropic api = new FakeAnthropic()) {
            Path site = KillTest.smallSite(dir.resolve("reference"), IMAGES);
            InProcess.Result r = InProcess.score(AnthropicKillTest.rerunEnv(api), "score", "--root", site.toString(),
                    "--provider", "anthropic");
            assertThat(r.code()).as(r.output()).isZero();
            return AnthropicKillTest.committed(site);
        }
    }

    static void assertSameAs(Map<String, byte[]> expected, Path site, String when) {
        Map<String, byte[]> actual = AnthropicKillTest.committed(site);
        assertThat(actual.keySet()).as("files " + when).isEqualTo(expected.keySet());
        expected.forEach((k, v) -> assertThat(actual.get(k)).as(k + " " + when).isEqualTo(v));
    }

    @Test
    void twoRunsStartedAtOnceOneRunsTheOtherRefusesNamingTheLockAndNothingInterleaves(@TempDir Path dir) throws Exception {
        Map<String, byte[]> expected = singleRun(dir);
        Path site = KillTest.smallSite(dir.resolve("contested"), IMAGES);
        try (FakeAnthropic api = new FakeAnthropic()) {
            ProcessBuilder a = Cli.command(site, AnthropicKillTest.env(api), AnthropicKillTest.score())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("a.log").toFile());
            ProcessBuilder b = Cli.command(site, AnthropicKillTest.env(api), AnthropicKillTest.score())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("b.log").toFile());
            Process pa = a.start();
            Process pb = b.start();
            // the run holding the lock is held at its first billed reply until the other has ended:
            // the two overlap whatever the start-up times, and the test never sleeps
            CompletableFuture<Object> firstEnded = CompletableFuture.anyOf(pa.onExit(), pb.onExit());
            api.onBilled((moment, billed) -> {
                try {
                    firstEnded.get(2, TimeUnit.MINUTES);
                } catch (Exception e) {
                    throw new IllegalStateException("neither run ended", e);
                }
            });
            assertThat(pa.waitFor(3, TimeUnit.MINUTES) && pb.waitFor(3, TimeUnit.MINUTES)).isTrue();

            boolean aWon = pa.exitValue() == 0;
            Process winner = aWon ? pa : pb;
            Process loser = aWon ? pb : pa;
            String loserLog = Files.readString(dir.resolve(aWon ? "b.log" : "a.log"));
            assertThat(List.of(winner.exitValue(), loser.exitValue())).as("exit codes; the loser said:%n%s", loserLog)
                    .containsExactly(0, Main.LOCKED);
            assertThat(loserLog).contains("another imagevision run is working on this site")
                    .contains(site.resolve(".image-cache/run.lock").toString())
                    .containsAnyOf("pid " + winner.pid() + " holds", "holder unknown holds")
                    .contains("wait for it to finish, then run again");

            Outputs.assertReadable(site, "after the contested runs");
            assertSameAs(expected, site, "after two runs at once");
            Outputs.Accounting money = Outputs.account(site, List.copyOf(api.billed), "after two runs at once");
            assertThat(money.billed()).as("only the winner called the API").isEqualTo(IMAGES - 1);
            assertThat(money.confirmed()).isEqualTo(IMAGES - 1);
        }
    }

    @Test
    void aLockHeldByARunKilledMidWayIsFreeForTheNextRunWhichClearsWhatTheKilledOneLeft(@TempDir Path dir) throws Exception {
        Map<String, byte[]> expected = singleRun(dir);
        Path site = KillTest.smallSite(dir.resolve("stale"), IMAGES);
        try (FakeAnthropic api = new FakeAnthropic()) {
            java.util.concurrent.atomic.AtomicReference<Process> running = new java.util.concurrent.atomic.AtomicReference<>();
            AtomicBoolean killed = new AtomicBoolean();
            api.onBilled((moment, billed) -> {
                if (killed.compareAndSet(false, true)) {
                    running.get().destroyForcibly(); // SIGKILL while it holds the lock, mid-run
                    try {
                        running.get().waitFor();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            running.set(Cli.command(site, AnthropicKillTest.env(api), AnthropicKillTest.score())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start());
            assertThat(running.get().waitFor(3, TimeUnit.MINUTES)).isTrue();
            assertThat(killed).as("killed while it held the lock").isTrue();
            assertThat(running.get().exitValue()).isNotZero();
            Path lock = site.resolve(".image-cache/run.lock");
            assertThat(Files.readString(lock)).as("the lock file still names the dead holder")
                    .isEqualTo("pid " + running.get().pid());
            assertThat(site.resolve(".image-cache/run-in-progress")).exists();
            // what a kill mid-write leaves (AtomicFiles' temporary name next to its target)
            Path torn = site.resolve("static/data/.imagevision-8675309000112233.tmp");
            Files.writeString(torn, "{\"version\": \"1.0\", \"entr");

            api.onBilled((moment, billed) -> {});
            Path log = dir.resolve("next.log");
            int code = Cli.run(site, AnthropicKillTest.env(api), log.toFile(), AnthropicKillTest.score());
            assertThat(code).as("the next run, a new process; it said:%n%s", Files.readString(log)).isZero();
            assertThat(Files.readString(log)).doesNotContain("another imagevision run");
            assertThat(torn).as("the killed run's temporary file is swept").doesNotExist();
            assertThat(site.resolve(".image-cache/run-in-progress")).as("a clean end clears the marker").doesNotExist();
            Outputs.assertReadable(site, "after the recovering run");
            assertSameAs(expected, site, "after a stale lock");
            Outputs.Accounting money = Outputs.account(site, List.copyOf(api.billed), "after a stale lock");
            assertThat(money.ceilingsForBilled()).as("the reply the killed run never read is charged its ceiling")
                    .isGreaterThanOrEqualTo(1);
        }
    }
}
