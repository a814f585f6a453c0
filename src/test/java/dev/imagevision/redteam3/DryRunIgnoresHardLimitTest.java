package dev.imagevision.redteam3;

import dev.imagevision.testing.HostileApi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Estimate first": the dry run says 29 images would be scored for $0.28 and exits 0 under a $0.05 hard
 * limit, while the real run scores 2 and exits 3; with concurrency 8 and a $0.20 limit it says 25 for
 * $0.17 (under the limit) while the real run scores 4, because 8 ceilings of $0.043 do not fit. The dry
 * run never names the limit. It should say the hard limit will stop the run (and roughly where).
 */
@Tag("reliability")
class DryRunIgnoresHardLimitTest {
    @Test
    void aDryRunSaysTheHardLimitWillStopTheRun(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> HostileApi.Reply.json(HostileApi.judgement(r.number())))) {
            Path site = HostileApi.site(dir, 10,
                    "{\"provider\": \"anthropic\", \"concurrency\": 1, \"cost_hard_usd\": 0.02}", api.baseUrl());

            HostileApi.Run dry = HostileApi.score(site, "--dry-run");
            assertEquals(0, api.messageCalls());
            HostileApi.Run real = HostileApi.score(site);
            assertEquals(3, real.exit(), real.out());

            assertTrue(dry.err().contains("cost_hard_usd") || dry.out().contains("cost_hard_usd"),
                    "the real run stopped at the hard limit after " + api.messageCalls() + " of 10 images, but the dry run "
                            + "said: " + dry.err() + dry.out());
        }
    }
}
