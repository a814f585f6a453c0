package dev.imagevision.redteam3;

import dev.imagevision.testing.HostileApi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images the hard cost limit left for the next run are "not failed" (docs/anthropic.md), yet the --json
 * summary counts them in "failed" and the terminal lists each as "failed": with a $0.05 limit on the
 * 29-image sample site, "2 scored · 27 failed". A CI job reading the summary cannot tell 27 deferred
 * images from 27 broken ones. They should be counted apart (failed 0 here).
 */
@Tag("reliability")
class CostHaltCountedAsFailedTest {
    @Test
    void imagesLeftByTheHardLimitAreNotCountedAsFailed(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> HostileApi.Reply.json(HostileApi.judgement(r.number())))) {
            Path site = HostileApi.site(dir, 6,
                    "{\"provider\": \"anthropic\", \"concurrency\": 1, \"cost_hard_usd\": 0.05}", api.baseUrl());

            HostileApi.Run run = HostileApi.score(site);
            assertEquals(3, run.exit(), run.out());

            JsonNode summary = new ObjectMapper().readTree(run.out());
            assertEquals(0, summary.get("failed").asInt(), "scored " + summary.get("scored") + " with "
                    + api.messageCalls() + " calls; every other image was never called, yet: " + run.out());
        }
    }
}
