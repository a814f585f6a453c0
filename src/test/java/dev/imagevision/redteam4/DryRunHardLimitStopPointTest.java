package dev.imagevision.redteam4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dry run says where the hard limit stops the run by the average price of an image ("stops the run after
 * about 5 of 29 images" at $0.05; "about 7 of 27" once measured), but the real run admits a request only
 * when its whole ceiling ($0.039 for sonnet) fits beside what it spent, so it stops after 2 (concurrency 1) or
 * 1 (concurrency 2). A dry run that promises 5 images for a run that does 2 is not "dry run = real run"; it
 * should count by the same admission rule (spent + ceiling within the limit).
 */
@Tag("reliability")
class DryRunHardLimitStopPointTest {
    @Test
    void theDryRunNamesTheImageWhereTheRealRunStops(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> HostileApi.Reply.json(HostileApi.judgement(r.number())))) {
            Path site = HostileApi.site(dir, 10,
                    "{\"provider\": \"anthropic\", \"concurrency\": 1, \"cost_hard_usd\": 0.05}", api.baseUrl());

            HostileApi.Run dry = HostileApi.score(site, "--dry-run");
            Matcher m = Pattern.compile("stops the run after about (\\d+) of").matcher(dry.out() + dry.err());
            assertTrue(m.find(), dry.out() + dry.err());
            HostileApi.Run real = HostileApi.score(site);
            assertEquals(3, real.exit(), real.out());
            int scored = new ObjectMapper().readTree(real.out()).get("scored").asInt();

            assertEquals(scored, Integer.parseInt(m.group(1)), "dry run: " + m.group() + "; real run scored " + scored);
        }
    }

    /**
     * Worse with concurrency: at concurrency 8 and a $0.30 limit the sample site's dry run estimates $0.28 for 29
     * images "within the hard limit … it may stop short of the last images" (exit 0), while the real run puts 7 ceilings ($0.29) in flight,
     * refuses the 8th, stops all new calls, and ends with $0.0483 spent, 22 deferred, exit 3: it stops at the first
     * images, not the last. Here: 10 images, concurrency 8, $0.15: the dry run says $0.10 "within the hard limit",
     * the real run scores 3 and defers 7. The dry run should name where the run stops, as it does above the limit.
     */
    @Test
    void aDryRunUnderTheLimitOnAverageStillSaysTheCeilingsInFlightStopTheRun(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> HostileApi.Reply.json(HostileApi.judgement(r.number())))) {
            Path site = HostileApi.site(dir, 10,
                    "{\"provider\": \"anthropic\", \"concurrency\": 8, \"cost_hard_usd\": 0.15}", api.baseUrl());

            HostileApi.Run dry = HostileApi.score(site, "--dry-run");
            HostileApi.Run real = HostileApi.score(site);
            assertEquals(3, real.exit(), real.out());

            assertTrue((dry.err() + dry.out()).contains("stops the run"), "the real run scored "
                    + new ObjectMapper().readTree(real.out()).get("scored") + " of 10 and halted; the dry run said: "
                    + dry.err() + dry.out());
        }
    }
}
