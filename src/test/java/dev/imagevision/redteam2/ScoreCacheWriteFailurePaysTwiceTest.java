package dev.imagevision.redteam2;

import dev.imagevision.testing.HostileApi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reply that was billed and journaled but whose score could not be cached (disk full, a blocked cache
 * folder) is lost: the run ends with exit 5 ("the next run continues where this one stopped"), and the next
 * run pays for the same images again. Seen on a 5 MB tmpfs with 30 KB free: 5 of 29 images billed twice.
 * Here the score cache is blocked by a file where its folder belongs.
 */
@Tag("reliability")
class ScoreCacheWriteFailurePaysTwiceTest {
    @Test
    void aBilledReplyIsNotPaidForAgainAfterTheCacheCouldNotBeWritten(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> HostileApi.Reply.json(HostileApi.judgement(r.number())))) {
            Path site = HostileApi.site(dir, 2, "{\"provider\": \"anthropic\", \"concurrency\": 1}", api.baseUrl());
            Files.createDirectories(site.resolve(".image-cache"));
            Path scores = site.resolve(".image-cache/scores");
            Files.writeString(scores, "not a folder");

            HostileApi.Run first = HostileApi.score(site);
            assertEquals(5, first.exit(), first.out());
            long paidFirst = api.messageCalls();

            Files.delete(scores);
            HostileApi.Run second = HostileApi.score(site);
            assertEquals(0, second.exit(), second.out());

            assertEquals(2, api.messageCalls(),
                    "2 images, " + paidFirst + " billed replies in the failed run, " + api.messageCalls() + " calls in all: paid twice");
        }
    }
}
