package dev.imagevision.redteam3;

import dev.imagevision.testing.HostileApi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a full disk the set-aside file cannot be appended to either: a 40 MB tmpfs with 16-40 KB free
 * (mount -t tmpfs -o size=40m; fill; score with concurrency 4) still ends with 3-4 of 29 images billed
 * twice, and scores-set-aside.jsonl is left empty, because the ledger journal line (appended into a page
 * it already had) fits while the new score file and the new set-aside line do not. Here the same double
 * failure without a mount: a file where the scores folder belongs and a folder where the set-aside file
 * belongs. What was billed and journaled should survive whatever the cache can hold, e.g. by journaling
 * the judgement with its billed reply, which is written anyway.
 */
@Tag("reliability")
class SetAsideOnFullDiskTest {
    @Test
    void aBilledJudgementIsNotPaidForAgainWhenNeitherItsFileNorTheSetAsideFileCanBeWritten(@TempDir Path dir)
            throws Exception {
        try (HostileApi api = new HostileApi(r -> HostileApi.Reply.json(HostileApi.judgement(r.number())))) {
            Path site = HostileApi.site(dir, 2, "{\"provider\": \"anthropic\", \"concurrency\": 1}", api.baseUrl());
            Path cache = Files.createDirectories(site.resolve(".image-cache"));
            Files.writeString(cache.resolve("scores"), "not a folder");
            Files.createDirectories(cache.resolve("scores-set-aside.jsonl"));

            HostileApi.Run first = HostileApi.score(site);
            assertEquals(5, first.exit(), first.out());
            long paidFirst = api.messageCalls();

            Files.delete(cache.resolve("scores"));
            Files.delete(cache.resolve("scores-set-aside.jsonl"));
            HostileApi.Run second = HostileApi.score(site);
            assertEquals(0, second.exit(), second.out());

            assertEquals(2, api.messageCalls(), "2 images, " + paidFirst + " billed in the run that could not write, "
                    + api.messageCalls() + " calls in all: paid twice");
        }
    }
}
