package dev.imagevision.reliability;

import dev.imagevision.cli.InProcess;
import dev.imagevision.ledger.CostLedger;
import dev.imagevision.testing.Cli;
import dev.imagevision.vision.anthropic.FakeAnthropic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL of {@code imagevision score --provider anthropic} (a real process) against the fake API
 * in this JVM, twenty times with a fixed seed. A third of the kills land at a random moment; the
 * others are fired by the fake server itself around its n-th billed reply, just before its first
 * byte (billed, never received) or just after its last (received, not yet journaled, or just so):
 * the window between the API billing a call and the ledger journal holding it.
 *
 * <p>After each kill the manifest, curation file and ledger parse and match their schemas. The
 * re-run (the same command, in this JVM: it only has to finish, and a JVM start with the SDK costs
 * seconds) finishes, and then every call the fake API billed over both runs is in the ledger exactly
 * once (exactly, or as its ceiling when its reply never reached the journal), and the committed
 * outputs except the ledger (manifest, variants, curation file) are byte-identical to an
 * uninterrupted run's. The ledger differs by design: it records the calls a kill made the re-run
 * repeat, and the audit report shows those costs.
 */
@Tag("reliability")
class AnthropicKillTest {
    static final int KILLS = 20;
    static final int IMAGES = 4; // one of them is on the deny-list: three calls per uninterrupted run
    static final String KEY = "sk-ant-api03-KILLTEST-0000";

    enum Mode { AT_RANDOM_TIME, BEFORE_REPLY, AFTER_REPLY }

    static Map<String, String> env(FakeAnthropic api) {
        return Map.of("ANTHROPIC_API_KEY", KEY, "ANTHROPIC_BASE_URL", api.baseUrl());
    }

    /** The re-run runs in this JVM (it only has to finish; a process start costs seconds): same clock, key and API. */
    static Map<String, String> rerunEnv(FakeAnthropic api) {
        return Map.of("ANTHROPIC_API_KEY", KEY, "ANTHROPIC_BASE_URL", api.baseUrl(), "CI", "true",
                "IMAGEVISION_FIXED_CLOCK", Cli.FIXED_CLOCK);
    }

    static String[] score() {
        return new String[] {"score", "--root", ".", "--provider", "anthropic"};
    }

    /** What an uninterrupted run produces that must come out byte-identical: all but the ledger and the report showing it. */
    static Map<String, byte[]> committed(Path site) {
        Map<String, byte[]> all = KillTest.outputs(site);
        all.remove(Outputs.LEDGER);
        all.remove(Outputs.REPORT);
        return all;
    }

    @Test
    void killedAnthropicRunsNeverLoseOrDoubleCountAPaidCallAndFinishIdentically(@TempDir Path dir) throws Exception {
        Map<String, byte[]> expected;
        long fullMillis;
        try (FakeAnthropic api = new FakeAnthropic()) {
            Path reference = KillTest.smallSite(dir.resolve("reference"), IMAGES);
            File log = dir.resolve("reference.log").toFile();
            long t0 = System.nanoTime();
            assertThat(Cli.run(reference, env(api), log, score())).as(Files.readString(log.toPath())).isZero();
            fullMillis = (System.nanoTime() - t0) / 1_000_000;
            expected = committed(reference);
            Outputs.assertReadable(reference, "after the uninterrupted run");
            Outputs.Accounting a = Outputs.account(reference, api.billed, "after the uninterrupted run");
            assertThat(a.billed()).isEqualTo(IMAGES - 1);
            assertThat(a.confirmed()).isEqualTo(IMAGES - 1);
            assertThat(a.ledgerUsd()).isEqualByComparingTo(a.billedUsd());
        }
        assertThat(expected).containsKeys(Outputs.MANIFEST, Outputs.CURATION);
        byte[] curation = expected.get(Outputs.CURATION);

        Random random = new Random(8);
        Map<Mode, Integer> kills = new EnumMap<>(Mode.class);
        int paidCalls = 0, ceilingsForBilled = 0, ceilingsNeverBilled = 0, finishedBeforeKill = 0;
        BigDecimal overCount = BigDecimal.ZERO;
        for (int i = 0; i < KILLS; i++) {
            Mode mode = Mode.values()[random.nextInt(Mode.values().length)];
            int nth = 1 + random.nextInt(IMAGES - 1);
            long delay = (long) (random.nextDouble() * fullMillis * 0.8); // most land while it works
            String what = "kill " + i + " (" + mode + (mode == Mode.AT_RANDOM_TIME ? " " + delay + " ms" : " #" + nth) + ")";
            Path site = KillTest.smallSite(dir.resolve("kill-" + i), IMAGES);
            try (FakeAnthropic api = new FakeAnthropic()) {
                AtomicReference<Process> running = new AtomicReference<>();
                AtomicInteger replies = new AtomicInteger();
                AtomicReference<FakeAnthropic.Billed> target = new AtomicReference<>();
                api.onBilled((moment, billed) -> {
                    boolean before = moment == FakeAnthropic.Moment.BEFORE_REPLY;
                    if (before && replies.incrementAndGet() == nth) target.set(billed);
                    if (target.get() != billed) return;
                    if ((mode == Mode.BEFORE_REPLY && before) || (mode == Mode.AFTER_REPLY && !before)) {
                        Process p = running.get();
                        p.destroyForcibly(); // SIGKILL
                        try {
                            p.waitFor(); // dead before a byte of this reply can reach it
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
                Process p = Cli.command(site, env(api), score()).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("kill-" + i + ".log").toFile()).start();
                running.set(p);
                if (mode == Mode.AT_RANDOM_TIME) {
                    if (!p.waitFor(delay, TimeUnit.MILLISECONDS)) p.destroyForcibly();
                } else {
                    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(what + " ended").isTrue();
                }
                p.waitFor();
                if (p.exitValue() == 0) finishedBeforeKill++;
                else kills.merge(mode, 1, Integer::sum);

                Outputs.assertReadable(site, "after " + what);
                assertThat(Files.readAllBytes(site.resolve(Outputs.CURATION))).as("curation after " + what).isEqualTo(curation);
                // what the kill left on disk already accounts for every billed call: fold a copy and look
                Path copy = Files.createDirectories(dir.resolve("folded-" + i + "/static/data"));
                if (Files.exists(site.resolve(Outputs.LEDGER))) Files.copy(site.resolve(Outputs.LEDGER), copy.resolve("image-vision-cost-ledger.json"));
                CostLedger.fold(copy.resolve("image-vision-cost-ledger.json"),
                        Files.exists(site.resolve(Outputs.JOURNAL)) ? Files.copy(site.resolve(Outputs.JOURNAL),
                                dir.resolve("folded-" + i + "/journal.jsonl")) : dir.resolve("folded-" + i + "/none"));
                if (!api.billed.isEmpty()) Outputs.account(dir.resolve("folded-" + i), List.copyOf(api.billed), "right after " + what);

                api.onBilled((moment, billed) -> {});
                InProcess.Result rerun = InProcess.score(rerunEnv(api), "score", "--root", site.toString(),
                        "--provider", "anthropic");
                assertThat(rerun.code()).as("re-run after %s; its output:%n%s", what, rerun.output()).isZero();
                Outputs.assertReadable(site, "after the re-run of " + what);
                assertThat(site.resolve(Outputs.JOURNAL)).as("journal folded after the re-run of " + what).doesNotExist();

                List<FakeAnthropic.Billed> billed = List.copyOf(api.billed);
                Outputs.Accounting a = Outputs.account(site, billed, "after the re-run of " + what);
                paidCalls += a.billed();
                ceilingsForBilled += a.ceilingsForBilled();
                ceilingsNeverBilled += a.ceilingsNeverBilled();
                overCount = overCount.add(a.ledgerUsd().subtract(a.billedUsd()));
                if (mode == Mode.BEFORE_REPLY && p.exitValue() != 0) {
                    assertThat(a.ceilingsForBilled()).as("the reply the process never read is charged its ceiling, " + what)
                            .isGreaterThanOrEqualTo(1);
                }

                Map<String, byte[]> actual = committed(site);
                assertThat(actual.keySet()).as("files after " + what).isEqualTo(expected.keySet());
                for (var e : expected.entrySet()) {
                    assertThat(actual.get(e.getKey())).as(e.getKey() + " after " + what).isEqualTo(e.getValue());
                }
            }
        }
        System.out.printf("anthropic kill test: %d kills %s, %d runs finished before their kill, %d paid calls checked, "
                        + "0 lost, 0 counted twice; %d charged at their ceiling (reply never journaled), %d ceilings for "
                        + "requests never billed; over-count $%s; uninterrupted run %d ms%n",
                KILLS - finishedBeforeKill, kills, finishedBeforeKill, paidCalls, ceilingsForBilled, ceilingsNeverBilled,
                overCount.toPlainString(), fullMillis);
        assertThat(kills.getOrDefault(Mode.BEFORE_REPLY, 0) + kills.getOrDefault(Mode.AFTER_REPLY, 0))
                .as("kills inside the billing window").isGreaterThanOrEqualTo(KILLS / 3);
        assertThat(ceilingsForBilled).as("the window was really hit").isPositive();
    }
}
