package dev.imagevision.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.imagevision.curation.CurationFile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cost ledger's and curation file's JSON Schemas ship in the jar next to the manifest's, for a
 * site's own checks and editors: they accept the seed site's real files and what this tool writes,
 * and refuse a broken row.
 */
class ShippedSchemasTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonSchema schema(String resource) throws IOException {
        try (InputStream in = ShippedSchemasTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource + " is in the jar's resources").isNotNull();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    static JsonNode file(String path) throws IOException {
        return JSON.readTree(Path.of(path).toFile());
    }

    @Test
    void theLedgerSchemaTakesTheSitesPerRunRowsAndOurPerCallRows() throws IOException {
        JsonSchema ledger = schema("/ledger.schema.json");
        ObjectNode seed = LedgerFile.read(Path.of("src/test/resources/orrery/cost-ledger.json"));
        assertThat(ledger.validate(seed)).isEmpty();
        ObjectNode ours = LedgerFile.withCalls(seed, List.of(CallEntry.priced("2026-07-06T10:00:00.000Z",
                "/images/missions/juice/01.jpg", "anthropic", "claude-sonnet-4-6", new Tokens(1500, 120, 0, 0), false,
                "run-1", "msg_1")));
        assertThat(ledger.validate(ours)).isEmpty();

        ObjectNode broken = ours.deepCopy();
        ((ObjectNode) broken.get("entries").get(broken.get("entries").size() - 1)).put("cost_usd", -1);
        assertThat(ledger.validate(broken)).isNotEmpty();
    }

    @Test
    void theCurationSchemaTakesTheSitesFileAndOurOverrides() throws IOException {
        JsonSchema curation = schema("/curation.schema.json");
        assertThat(curation.validate(file("src/test/resources/orrery-format/image-curation.example.json"))).isEmpty();
        JsonNode fixture = file("src/test/resources/fixture-site/static/data/image-curation.json");
        CurationFile.read(Path.of("src/test/resources/fixture-site/static/data/image-curation.json"));
        assertThat(curation.validate(fixture)).isEmpty();
        ObjectNode overridden = (ObjectNode) fixture.deepCopy();
        ObjectNode row = (ObjectNode) overridden.get("entries").get(0);
        row.putObject("focal_point").put("x", 0.3).put("y", 0.4);
        row.putObject("subject_box").put("x", 0.1).put("y", 0.2).put("w", 0.5).put("h", 0.6);
        assertThat(curation.validate(overridden)).isEmpty();

        ObjectNode broken = (ObjectNode) fixture.deepCopy();
        ((ObjectNode) broken.get("entries").get(0)).remove("path");
        assertThat(curation.validate(broken)).isNotEmpty();
        ObjectNode outside = overridden.deepCopy();
        ((ObjectNode) outside.get("entries").get(0).get("focal_point")).put("x", 1.5);
        assertThat(curation.validate(outside)).as("a focal point is a fraction of the image").isNotEmpty();
    }
}
