package dev.imagevision.redteam4;

import dev.imagevision.testing.HostileApi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose limit is far above what its images cost was stopped by the ceilings of its requests in flight:
 * at concurrency 8 and a $0.30 limit the sample site's real run put 7 ceilings ($0.29) in flight, refused the
 * 8th and halted with $0.0483 spent and 22 images deferred, while its dry run said $0.28, within the limit.
 * Requests that do not fit beside those in flight now wait for them to settle; the run stops only when a
 * request's ceiling does not fit beside what was spent, so the dry run's "within the limit" holds.
 */
@Tag("reliability")
class DryRunHardLimitStopPointTest {
    /** 10 images at about $0.007 each, concurrency 8, $0.15: eight ceilings of $0.039 do not fit at once. */
    @Test
    void aRunWithinItsLimitIsNotStoppedByTheCeilingsOfItsRequestsInFlight(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> HostileApi.Reply.json(HostileApi.judgement(r.number())))) {
            Path site = HostileApi.site(dir, 10,
                    "{\"provider\": \"anthropic\", \"concurrency\": 8, \"cost_hard_usd\": 0.15}", api.baseUrl());

            HostileApi.Run dry = HostileApi.score(site, "--dry-run");
            HostileApi.Run real = HostileApi.score(site);

            assertTrue(!(dry.err() + dry.out()).contains("stops the run"), dry.err() + dry.out());
            assertEquals(0, real.exit(), real.out());
            assertEquals(10, new ObjectMapper().readTree(real.out()).get("scored").asInt(), real.out());
            assertEquals(10, api.messageCalls());
        }
    }
}
