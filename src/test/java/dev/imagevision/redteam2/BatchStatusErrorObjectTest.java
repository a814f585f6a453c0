package dev.imagevision.redteam2;

import dev.imagevision.testing.HostileApi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway that answers a batch status poll with a 200 holding an error object (or any JSON the SDK cannot
 * map to a MessageBatch) ends the whole run with exit 1 and no manifest; since the batch id is kept, every
 * later score run of the site (with or without --batch) ends the same way. One bad reply must fail its
 * images, never the run (README "Bad input"; exit 0 with a manifest and a report).
 */
@Tag("reliability")
class BatchStatusErrorObjectTest {
    static final String BATCH = """
            {"id":"msgbatch_rt2","type":"message_batch","processing_status":"in_progress",
             "request_counts":{"processing":1,"succeeded":0,"errored":0,"canceled":0,"expired":0},
             "ended_at":null,"created_at":"2026-01-01T00:00:00Z","expires_at":"2026-01-02T00:00:00Z",
             "archived_at":null,"cancel_initiated_at":null,"results_url":null}""";

    @Test
    void anErrorObjectUnderA200OnTheBatchPollFailsItsImagesNotTheRun(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> r.method().equals("POST") && r.path().equals("/v1/messages/batches")
                ? HostileApi.Reply.json(BATCH)
                : HostileApi.Reply.json(HostileApi.ERROR_UNDER_200))) {
            Path site = HostileApi.site(dir, 1, "{\"provider\": \"anthropic\"}", api.baseUrl());

            HostileApi.Run run = HostileApi.score(site, "--batch");
            assertEquals(0, run.exit(), "one unreadable batch status ends the run: " + run.out() + run.err());
            assertTrue(Files.exists(site.resolve("static/data/image-vision.json")), "no manifest written");

            HostileApi.Run next = HostileApi.score(site);
            assertEquals(0, next.exit(), "every later (non-batch) run ends the same way: " + next.out());
        }
    }
}
