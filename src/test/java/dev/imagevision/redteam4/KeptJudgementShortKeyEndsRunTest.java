package dev.imagevision.redteam4;

import dev.imagevision.testing.HostileApi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One kept journal line whose key is shorter than two characters ("a", "") ends every paid run with
 * "internal error: java.lang.StringIndexOutOfBoundsException: Range [0, 2) out of bounds for length 1"
 * (exit 1), before anything is scored, and the line is never dropped, so the site is stuck until someone
 * edits .image-cache/ledger-journal.jsonl by hand. The dry run and validate say nothing (exit 0). The
 * journal says an unreadable kept line is skipped "as a torn line is"; this one should be too.
 */
@Tag("reliability")
class KeptJudgementShortKeyEndsRunTest {
    @Test
    void aKeptLineWithAShortKeyIsSkippedNotFatal(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> HostileApi.Reply.json(HostileApi.judgement(r.number())))) {
            Path site = HostileApi.site(dir, 2, "{\"provider\": \"anthropic\", \"concurrency\": 1}", api.baseUrl());
            Path cache = Files.createDirectories(site.resolve(".image-cache"));
            Files.writeString(cache.resolve("scores"), "not a folder");
            assertEquals(5, HostileApi.score(site).exit());
            Files.delete(cache.resolve("scores"));
            HostileApi.editFirstKept(site, "key", "a");

            HostileApi.Run run = HostileApi.score(site);
            assertEquals(0, run.exit(), run.err());
        }
    }
}
