package dev.imagevision.redteam4;

import dev.imagevision.testing.HostileApi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kept judgement's "key" becomes a file name unchecked (ScoreCache.fileFor: scores/&lt;key[0..2]&gt;/&lt;key&gt;.json),
 * so a hand-edited or merged journal line whose key is "../static/data/image-provenance" makes the next paid
 * run overwrite the site's provenance file (an input the tool did not write) with a score record, and a key
 * "../../x" writes beside the site. Repro on the sample site: block .image-cache/scores with a file, paid run
 * (exit 5, 2 kept lines), remove the file, mkdir scores, edit the first kept key, paid run: exit 0, "restored
 * 2 of 2", static/data/image-provenance.json now holds {"error": null, "failed": false, "judgement": …}.
 * A key that is not a score key (64 hex digits) should be skipped, never used as a path.
 */
@Tag("reliability")
class KeptJudgementKeyEscapesCacheTest {
    @Test
    void aKeptLineCannotOverwriteAFileOutsideTheScoreCache(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> HostileApi.Reply.json(HostileApi.judgement(r.number())))) {
            Path site = HostileApi.site(dir, 2, "{\"provider\": \"anthropic\", \"concurrency\": 1}", api.baseUrl());
            Path cache = Files.createDirectories(site.resolve(".image-cache"));
            Files.writeString(cache.resolve("scores"), "not a folder");
            assertEquals(5, HostileApi.score(site).exit());
            Files.delete(cache.resolve("scores"));
            Files.createDirectories(cache.resolve("scores"));

            Path provenance = site.resolve("static/data/image-provenance.json");
            String before = Files.readString(provenance);
            HostileApi.editFirstKept(site, "key", "../static/data/image-provenance");
            HostileApi.score(site);

            assertEquals(before, Files.readString(provenance), "a kept journal line rewrote the site's provenance file");
        }
    }
}
