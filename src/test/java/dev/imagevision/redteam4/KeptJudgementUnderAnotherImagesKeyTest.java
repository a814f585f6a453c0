package dev.imagevision.redteam4;

import dev.imagevision.testing.HostileApi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kept journal line is restored under whatever "key" it carries, though its own "path" and
 * "source_sha256" name another image: on the sample site, the kept judgement of eileen-collins/01.png
 * with its key set to crs-21/01.jpg's score key is served to crs-21/01.jpg (no call for it; the manifest
 * publishes eileen's subject and focal point for the Falcon 9 photo) while eileen-collins is paid for again.
 * One image's judgement published as another's. A kept line whose key is not the score key of the image
 * its path and bytes name should be skipped (and said), not restored.
 */
@Tag("reliability")
class KeptJudgementUnderAnotherImagesKeyTest {
    @Test
    void aKeptJudgementIsNotServedToAnotherImage(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> HostileApi.Reply.json(HostileApi.judgement(r.number())))) {
            String config = "{\"provider\": \"anthropic\", \"concurrency\": 1}";
            // the second image's score key, from a twin site that scores it normally
            Path twin = HostileApi.site(Files.createDirectories(dir.resolve("twin")), 2, config, api.baseUrl());
            assertEquals(0, HostileApi.score(twin).exit());
            String secondKey;
            try (Stream<Path> files = Files.walk(twin.resolve(".image-cache/scores"))) {
                secondKey = files.filter(f -> f.toString().endsWith(".json"))
                        .filter(f -> read(f).contains("/images/missions/crs-21/02.jpg"))
                        .map(f -> f.getFileName().toString().replace(".json", "")).findFirst().orElseThrow();
            }

            Path site = HostileApi.site(Files.createDirectories(dir.resolve("site")), 2, config, api.baseUrl());
            Path cache = Files.createDirectories(site.resolve(".image-cache"));
            Files.writeString(cache.resolve("scores"), "not a folder");
            assertEquals(5, HostileApi.score(site).exit());
            Files.delete(cache.resolve("scores"));
            HostileApi.editFirstKept(site, "key", secondKey);
            String journal = Files.readString(cache.resolve("ledger-journal.jsonl"));
            assertFalse(journal.contains("crs-21/02.jpg"), "the kept line is crs-21/01's: " + journal);

            long before = api.messageCalls();
            assertEquals(0, HostileApi.score(site).exit());
            assertEquals(2, api.messageCalls() - before,
                    "crs-21/02.jpg was served crs-21/01.jpg's kept judgement instead of being asked for (and crs-21/01 paid again)");
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
