package dev.imagevision.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagevision.cli.InProcess;
import dev.imagevision.pipeline.RunLock;
import dev.imagevision.testing.Cli;
import dev.imagevision.testing.SampleSite;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read-only checkout: the sites are bind-mounted read-only in a mount namespace of the child
 * process alone (the kernel's own read-only, which stops root too, as a read-only volume or
 * checkout does; it vanishes with the process). There, {@code score} with nothing to do,
 * {@code score --dry-run}, {@code validate} and {@code report --out} elsewhere succeed, also for a
 * fresh clone without {@code .image-cache/}; a run that has something to write fails naming it,
 * exit 5; a run beside a writer refuses, exit 4; and not one byte or modification time changes on
 * any site.
 */
@Tag("reliability")
class ReadOnlySiteTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> ENV = Map.of("CI", "true", "IMAGEVISION_FIXED_CLOCK", Cli.FIXED_CLOCK);

    /** How to enter a private mount namespace here: as root directly, otherwise through a user namespace. */
    static List<String> namespace() throws Exception {
        boolean root = new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).strip().equals("0");
        List<String> unshare = root ? List.of("unshare", "--mount") : List.of("unshare", "--map-root-user", "--mount");
        boolean works = new ProcessBuilder(concat(unshare, List.of("true"))).redirectErrorStream(true).start().waitFor() == 0;
        // as root (CI) the test must run; elsewhere it needs unprivileged user namespaces
        if (root) assertThat(works).as("unshare --mount works for root (CAP_SYS_ADMIN)").isTrue();
        else Assumptions.assumeTrue(works, "no unprivileged user namespaces here");
        return unshare;
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static Map<String, Object> state(Path site) {
        Map<String, Object> s = new LinkedHashMap<>();
        // the lock file holds the pid of whoever locked last (this JVM, for the busy site); all else must stay as it was
        SampleSite.snapshot(site, true).forEach((k, v) -> {
            if (!k.endsWith("run.lock")) s.put(k, java.util.HexFormat.of().formatHex(v));
        });
        s.put("mtimes", SampleSite.mtimes(site));
        return s;
    }

    @Test
    void aSiteThatCannotBeWrittenIsStillScoredReportedAndValidatedWhenThereIsNothingToWrite(@TempDir Path dir) throws Exception {
        List<String> unshare = namespace();
        Path warm = KillTest.smallSite(dir.resolve("warm"), 4);
        Files.writeString(warm.resolve("static/data/image-curation.json"), "{\"version\": \"1.0\", \"entries\": []}\n");
        InProcess.Result first = InProcess.score(ENV, "score", "--root", warm.toString(), "--provider", "local");
        assertThat(first.code()).as(first.output()).isZero();
        Path fresh = dir.resolve("fresh");
        SampleSite.copyTree(warm, fresh);
        // a fresh clone: the cache and the editor's pages are git-ignored, so a clone has none of them
        deleteTree(fresh.resolve(".image-cache"));
        Files.deleteIfExists(fresh.resolve("static/data/audit-report.html"));
        Files.deleteIfExists(fresh.resolve("static/data/preview.html"));
        Path changed = dir.resolve("changed");
        SampleSite.copyTree(warm, changed);
        String flagged = JSON.readTree(changed.resolve("static/data/image-provenance.json").toFile()).get("entries").get(0)
                .get("path").asText();
        Files.writeString(changed.resolve("static/data/image-curation.json"), """
                {"version": "1.0", "entries": [{"path": "%s", "reason": "Blurry", "flaggedAt": "2026-10-01T00:00:00.000Z"}]}
                """.formatted(flagged));
        Path busy = dir.resolve("busy");
        SampleSite.copyTree(warm, busy);
        Path out = Files.createDirectories(dir.resolve("out"));
        Map<Path, Map<String, Object>> before = new LinkedHashMap<>();
        for (Path site : List.of(warm, fresh, changed, busy)) before.put(site, state(site));

        List<String> cmd = new ArrayList<>(unshare);
        cmd.addAll(List.of("sh", "-c", "for d in \"$@\"; do [ \"$d\" = -- ] && break; "
                + "mount --bind \"$d\" \"$d\" && mount -o remount,bind,ro \"$d\" || exit 97; done; "
                + "while [ \"$1\" != -- ]; do shift; done; shift; exec \"$@\"", "sh",
                warm.toString(), fresh.toString(), changed.toString(), busy.toString(), "--"));
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), ReadOnlyRun.class.getName(),
                warm.toString(), fresh.toString(), changed.toString(), busy.toString(), "--",
                "score", "--root", warm.toString(), "--provider", "local", "--json", "::",
                "score", "--root", warm.toString(), "--provider", "local", "--dry-run", "--json", "::",
                "validate", "--root", warm.toString(), "--json", "::",
                "report", "--root", warm.toString(), "--out", out.resolve("warm.html").toString(), "::",
                "score", "--root", fresh.toString(), "--provider", "local", "--json", "::",
                "report", "--root", fresh.toString(), "--out", out.resolve("fresh.html").toString(), "::",
                "score", "--root", changed.toString(), "--provider", "local", "--json", "::",
                "score", "--root", busy.toString(), "--provider", "local", "--json"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("child.err").toFile());
        pb.environment().putAll(ENV);
        String stdout;
        Process p;
        // a writer (this JVM) holds the busy site's lock all along: a reader never runs beside it
        try (RunLock writer = RunLock.acquire(busy.resolve(".image-cache"))) {
            p = pb.start();
            stdout = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(p.exitValue()).as("the child; stdout:%n%s%nstderr:%n%s", stdout, Files.readString(dir.resolve("child.err"))).isZero();

        List<JsonNode> lines = new ArrayList<>();
        for (String l : stdout.strip().split("\n")) lines.add(JSON.readTree(l));
        for (JsonNode probe : lines.subList(0, 4)) {
            assertThat(probe.get("refused").asBoolean()).as("the mount refuses writes: %s", probe).isTrue();
            assertThat(probe.get("reason").asText()).isEqualTo("Read-only file system");
        }
        List<JsonNode> runs = lines.subList(4, lines.size());
        assertThat(runs).hasSize(8);
        for (JsonNode r : runs.subList(0, 6)) {
            assertThat(r.get("code").asInt()).as("%s%n%s", r.get("args"), r.get("err").asText()).isZero();
        }
        JsonNode warmScore = JSON.readTree(runs.get(0).get("out").asText());
        assertThat(warmScore.get("provider_calls").asInt()).isZero();
        assertThat(warmScore.get("exit_code").asInt()).isZero();
        JsonNode freshScore = JSON.readTree(runs.get(4).get("out").asText());
        assertThat(freshScore.get("provider_calls").asInt()).as("the fresh clone").isZero();
        assertThat(freshScore.get("report").isNull()).as("a clone that cannot be written goes without the pages").isTrue();
        assertThat(runs.get(4).get("err").asText()).contains("the audit report and preview were not written");
        for (String page : List.of("warm.html", "fresh.html")) {
            assertThat(Files.readString(out.resolve(page))).as(page).contains("<title>Audit report").contains("data:image/jpeg;base64,");
        }

        JsonNode mustWrite = runs.get(6);
        assertThat(mustWrite.get("code").asInt()).as(mustWrite.get("err").asText()).isEqualTo(5);
        JsonNode ending = JSON.readTree(mustWrite.get("out").asText());
        assertThat(ending.get("exit_code").asInt()).isEqualTo(5);
        assertThat(ending.get("error").asText()).contains("image-vision.json").contains("Read-only file system")
                .contains("cannot be written here").contains("a run with nothing to write succeeds");

        JsonNode beside = runs.get(7);
        assertThat(beside.get("code").asInt()).as(beside.get("err").asText()).isEqualTo(4);
        assertThat(beside.get("err").asText()).contains("another imagevision run is working on this site");

        for (var e : before.entrySet()) {
            assertThat(state(e.getKey())).as("%s is untouched", e.getKey().getFileName()).isEqualTo(e.getValue());
        }
    }

    static void deleteTree(Path root) throws Exception {
        try (var files = Files.walk(root)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
