package dev.imagevision.redteam2;

import dev.imagevision.testing.HostileApi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request that never reached any server (connection refused: a wrong ANTHROPIC_BASE_URL, a proxy that is
 * down, no network; an unknown host does the same) cannot have been billed, yet every attempt is charged its
 * ceiling as unconfirmed: 29 sample images give 87 ledger rows and $3.83, a 300-image site $20.53 and exit 3
 * (the hard cost limit) with not one byte sent. The committed ledger and monthly_totals then claim money
 * that was never spent.
 */
@Tag("reliability")
class UnreachableApiChargesNothingTest {
    @Test
    void aRefusedConnectionIsNotChargedAsAPossiblyBilledCall(@TempDir Path dir) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path site = HostileApi.site(dir, 1, "{\"provider\": \"anthropic\"}", "http://127.0.0.1:" + closed);

        HostileApi.Run run = HostileApi.score(site);
        assertEquals(0, run.exit(), run.out());

        JsonNode out = new ObjectMapper().readTree(run.out());
        assertEquals(0.0, out.get("unconfirmed_usd").asDouble(),
                "nothing reached a server, yet the ledger charges " + out.get("unconfirmed_calls") + " calls: " + run.out());
    }
}
