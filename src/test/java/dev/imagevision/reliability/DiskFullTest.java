package dev.imagevision.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.cli.InProcess;
import dev.imagevision.cli.Main;
import dev.imagevision.testing.Cli;
import dev.imagevision.testing.SampleSite;
import dev.imagevision.vision.anthropic.FakeAnthropic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A run that cannot write: the disk fills up (a small tmpfs, where the machine lets us mount one),
 * or every file is capped in size by the process's file-size limit ({@code ulimit -f}, which the JVM
 * turns into "File too large" on any write past it; this one runs everywhere). A site scored for
 * four images gets four more; the run that has no room stops with exit 5 and a message naming the
 * file; every file the earlier run wrote is as it was or complete (manifest, variants, curation,
 * ledger, cache), nothing half-written is left; a run with room finishes as an uninterrupted one.
 */
@Tag("reliability")
class DiskFullTest {
    static final int BEFORE = 4;
    static final int AFTER = 8;

    /** The small sample site with only its first {@code n} provenance rows (of the 8 smallest images). */
    static void keepRows(Path site, List<JsonNode> rows, int n) throws IOException {
        Path prov = site.resolve("static/data/image-provenance.json");
        ObjectNode tree = (ObjectNode) Outputs.JSON.readTree(prov.toFile());
        ArrayNode kept = Outputs.JSON.createArrayNode();
        rows.stream().limit(n).forEach(kept::add);
        tree.set("entries", kept);
        Files.write(prov, Outputs.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree));
    }

    static List<JsonNode> rows(Path site) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        Outputs.JSON.readTree(site.resolve("static/data/image-provenance.json").toFile()).get("entries").forEach(out::add);
        return out;
    }

    static InProcess.Result score(FakeAnthropic api, Path site) {
        return InProcess.score(AnthropicKillTest.rerunEnv(api), "score", "--root", site.toString(), "--provider", "anthropic");
    }

    /** Every file under the site, the cache included. */
    static Map<String, byte[]> everything(Path site) {
        return SampleSite.snapshot(site, true);
    }

    @Test
    void aFullTmpfsStopsTheRunWithExit5AndLeavesEveryEarlierOutputIntact(@TempDir Path dir) throws Exception {
        Path mount = Files.createDirectories(dir.resolve("tmpfs"));
        boolean mounted;
        try {
            mounted = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("mount.log").toFile()).start().waitFor() == 0;
        } catch (IOException noMountCommand) {
            mounted = false;
        }
        assumeTrue(mounted, "cannot mount a tmpfs here (needs root); the file-size-limit test covers write failures");
        try {
            scenario(dir, mount.resolve("site"), (site, api, expectedGrowth) -> {
                // leave a third of what the run needs to grow by
                long room = Files.getFileStore(site).getUsableSpace();
                long keepFree = expectedGrowth / 3;
                try (OutputStream ballast = Files.newOutputStream(mount.resolve("ballast"))) {
                    byte[] chunk = new byte[1 << 16];
                    for (long left = room - keepFree; left > 0; left -= chunk.length) {
                        ballast.write(chunk, 0, (int) Math.min(chunk.length, left));
                    }
                }
                return Cli.command(site, AnthropicKillTest.env(api), AnthropicKillTest.score());
            }, () -> Files.delete(mount.resolve("ballast")), "No space left on device");
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor();
        }
    }

    @Test
    void aFileSizeLimitFailsWritesTheSameWay(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
        scenario(dir, dir.resolve("site"), (site, api, expectedGrowth) -> {
            // under the size the manifest grows to: at the latest, writing the manifest fails
            long manifestKb = Files.size(site.resolve(Outputs.MANIFEST)) / 1024;
            ProcessBuilder cli = Cli.command(site, AnthropicKillTest.env(api), AnthropicKillTest.score());
            List<String> cmd = new ArrayList<>(List.of("/bin/bash", "-c", "ulimit -f " + manifestKb + " && exec \"$@\"", "limited"));
            cmd.addAll(cli.command());
            return cli.command(cmd);
        }, () -> {}, "File too large");
    }

    /**
     * The red team's case: a ledger longer than the file size limit (their 200,000 rows under
     * {@code ulimit -f 60000}). Appending to it fails at once; the ledger stays byte for byte as it
     * was, the run says so, and the next run with room adds the paid call once.
     */
    @Test
    void aLedgerLongerThanTheFileSizeLimitIsLeftAsItWas(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
        try (FakeAnthropic api = new FakeAnthropic()) {
            Path site = KillTest.smallSite(dir.resolve("site"), 3);
            Path ledger = site.resolve(Outputs.LEDGER);
            List<dev.imagevision.ledger.CallEntry> history = new ArrayList<>();
            for (int i = 0; i < 6_000; i++) { // about 2.4 MB
                history.add(dev.imagevision.ledger.CallEntry.priced("2026-05-01T00:00:00.000Z", "/images/old/" + i + ".jpg",
                        "anthropic", "claude-sonnet-4-6", new dev.imagevision.ledger.Tokens(1500, 150, 0, 0), false,
                        "run-old", "msg_old_" + i));
            }
            Files.createDirectories(ledger.getParent());
            dev.imagevision.ledger.LedgerFile.write(ledger, history);
            InProcess.Result first = score(api, site); // scores the three, and learns the ledger
            assertThat(first.code()).as(first.output()).isZero();
            List<String> images = new ArrayList<>();
            rows(site).forEach(r -> images.add(r.get("path").asText()));
            Files.write(site.resolve("static" + images.get(0)), new byte[] {'x'}, java.nio.file.StandardOpenOption.APPEND);
            byte[] before = Files.readAllBytes(ledger);
            int billed = api.billed.size();

            long limitKb = before.length / 1024 / 2;
            ProcessBuilder cli = Cli.command(site, AnthropicKillTest.env(api), AnthropicKillTest.score());
            List<String> cmd = new ArrayList<>(List.of("/bin/bash", "-c", "ulimit -f " + limitKb + " && exec \"$@\"", "limited"));
            cmd.addAll(cli.command());
            Path log = dir.resolve("limited.log");
            Process p = cli.command(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
            String said = Files.readString(log);
            assertThat(p.exitValue()).as(said).isEqualTo(Main.WRITE_FAILED);
            assertThat(said).contains("cannot write " + ledger.toAbsolutePath().normalize(), "File too large", "the ledger is as it was")
                    .doesNotContain("left incomplete");
            assertThat(Files.readAllBytes(ledger)).as("the ledger after the limited run").isEqualTo(before);
            assertThat(site.resolve(".image-cache/ledger-undo.json")).doesNotExist();
            assertThat(api.billed.size()).isEqualTo(billed + 1);

            InProcess.Result again = score(api, site);
            assertThat(again.code()).as(again.output()).isZero();
            assertThat(api.billed.size()).as("nothing paid twice").isEqualTo(billed + 1);
            String id = api.billed.get(billed).messageId();
            assertThat(Files.readString(ledger).split("\"" + id + "\"", -1)).as("the call, once").hasSize(2);
            Outputs.assertReadable(site, "after the run with room");
        }
    }

    interface Starve {
        ProcessBuilder starved(Path site, FakeAnthropic api, long expectedGrowth) throws Exception;
    }

    interface Relief {
        void run() throws Exception;
    }

    void scenario(Path dir, Path site, Starve starve, Relief relief, String why) throws Exception {
        try (FakeAnthropic api = new FakeAnthropic()) {
            // what an uninterrupted run of all eight writes
            Path reference = KillTest.smallSite(dir.resolve("reference"), AFTER);
            assertThat(score(api, reference).code()).isZero();
            Map<String, byte[]> expected = AnthropicKillTest.committed(reference);
            int referenceCalls = api.billed.size();

            // the site as it was scored for four
            KillTest.smallSite(site, AFTER);
            List<JsonNode> all = rows(site);
            keepRows(site, all, BEFORE);
            InProcess.Result first = score(api, site);
            assertThat(first.code()).as(first.output()).isZero();
            Map<String, byte[]> before = everything(site);
            keepRows(site, all, AFTER);

            long growth = 0;
            for (var e : expected.entrySet()) {
                byte[] had = before.get(e.getKey());
                growth += had == null ? e.getValue().length : Math.max(0, e.getValue().length - had.length);
            }
            growth *= 2; // the variant cache keeps a copy of each new variant
            Path log = dir.resolve("starved.log");
            Process p = starve.starved(site, api, growth).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
            String said = Files.readString(log);
            assertThat(p.exitValue()).as("exit code; the run said:%n%s", said).isEqualTo(Main.WRITE_FAILED);
            assertThat(said).contains("imagevision: could not write outputs: ").contains(why)
                    .contains(site.toString()) // names the file
                    .contains("Free disk space, raise the file size limit (ulimit -f) or fix permissions, then run again")
                    .doesNotContain("Exception");
        System.out.println("disk full (" + why + "): " + said.lines().filter(l -> l.startsWith("imagevision:"))
                .findFirst().orElseThrow());

            // nothing half-written; every earlier file as it was, or (written whole) as the finished run has it
            Map<String, byte[]> after = everything(site);
            assertThat(after.keySet()).as("temporary files left").noneMatch(k -> k.endsWith(".tmp"));
            for (var e : before.entrySet()) {
                String k = e.getKey();
                assertThat(after).as(k + " is still there").containsKey(k);
                if (java.util.Arrays.equals(after.get(k), e.getValue())) continue;
                if (expected.containsKey(k)) {
                    assertThat(after.get(k)).as(k + " changed: only to its complete new content").isEqualTo(expected.get(k));
                } else if (k.endsWith(".json")) {
                    Outputs.JSON.readTree(after.get(k)); // the cache's index or ledger, rewritten whole
                } else if (!k.endsWith(".jsonl") && !k.endsWith("run.lock") && !k.endsWith("run-in-progress")
                        && !k.endsWith(".bloom")) { // the ledger's id filter only gains ids: a superset is harmless
                    throw new AssertionError(k + " was changed by the run that could not write");
                }
            }
            for (var e : after.entrySet()) {
                if (!before.containsKey(e.getKey()) && expected.containsKey(e.getKey())) {
                    assertThat(e.getValue()).as(e.getKey() + " written by the starved run is complete").isEqualTo(expected.get(e.getKey()));
                }
            }
            Outputs.assertReadable(site, "after the starved run");
            assertThat(after.get(Outputs.CURATION)).isEqualTo(before.get(Outputs.CURATION));

            // with room again, the next run finishes as an uninterrupted run would
            relief.run();
            InProcess.Result again = score(api, site);
            assertThat(again.code()).as(again.output()).isZero();
            Outputs.assertReadable(site, "after the run with room");
            Map<String, byte[]> done = AnthropicKillTest.committed(site);
            assertThat(done.keySet()).isEqualTo(expected.keySet());
            expected.forEach((k, v) -> assertThat(done.get(k)).as(k).isEqualTo(v));
            List<FakeAnthropic.Billed> billedHere = List.copyOf(api.billed.subList(referenceCalls, api.billed.size()));
            Outputs.Accounting money = Outputs.account(site, billedHere, "after the run with room");
            assertThat(money.billed()).as("every image but the flagged one scored").isGreaterThanOrEqualTo(AFTER - 1);
        }
    }
}
