package dev.imagevision.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.site.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every manifest a test writes is checked against the shipped schema with a real validator. */
public final class ManifestSchemaAssert {
    private ManifestSchemaAssert() {}

    public static void assertValid(byte[] manifest) throws IOException {
        JsonNode tree = Json.LENIENT.readTree(manifest);
        assertThat(ManifestSchema.load().check(tree)).as("schema violations").isEmpty();
    }

    public static void assertValid(Path file) throws IOException {
        assertValid(Files.readAllBytes(file));
    }

    /** Our writer always sets a selection; the older format may lack one, ours never does. */
    public static void assertEverySelectionSet(Manifest m) {
        assertThat(m.entries()).allSatisfy((path, e) -> {
            assertThat(e.selection()).as(path).isNotNull();
            assertThat(e.selection().group()).as(path).isNotBlank();
            assertThat(e.fallback()).as(path).isNotNull();
        });
    }
}
