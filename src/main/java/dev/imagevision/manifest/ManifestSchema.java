package dev.imagevision.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The manifest's JSON Schema (2020-12), shipped in the jar as {@value #RESOURCE}, and checks against it. */
public final class ManifestSchema {
    public static final String RESOURCE = "/manifest.schema.json";

    /** One place the manifest breaks the schema: the entry it is in (null for the header), where, and what. */
    public record Violation(String entry, String location, String message) {}

    private final JsonSchema schema;

    private ManifestSchema(JsonSchema schema) {
        this.schema = schema;
    }

    public static ManifestSchema load() {
        try (InputStream in = ManifestSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("the manifest schema " + RESOURCE + " is missing from the jar");
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER)
                    .locale(Locale.ENGLISH).build();
            return new ManifestSchema(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest schema " + RESOURCE, e);
        }
    }

    /** Every violation, ordered by where it is. */
    public List<Violation> check(JsonNode manifest) {
        List<Violation> out = new ArrayList<>();
        for (ValidationMessage m : schema.validate(manifest)) {
            JsonNodePath at = m.getInstanceLocation();
            if (at.getNameCount() == 1 && "entries".equals(at.getName(0)) && "propertyNames".equals(m.getType())) {
                // a bad key is reported on "entries"; name the entry it is
                out.add(new Violation(m.getProperty(), "", "the key is not a provenance path "
                        + "(one leading '/', no '.' or '..' segments, no backslash)"));
                continue;
            }
            String entry = at.getNameCount() >= 2 && "entries".equals(at.getName(0)) ? at.getName(1) : null;
            StringBuilder inside = new StringBuilder();
            for (int i = entry == null ? 0 : 2; i < at.getNameCount(); i++) {
                if (!inside.isEmpty()) inside.append('.');
                inside.append(at.getName(i));
            }
            out.add(new Violation(entry, inside.toString(), message(m)));
        }
        out.sort(Comparator.comparing((Violation v) -> v.entry() == null ? "" : v.entry())
                .thenComparing(Violation::location).thenComparing(Violation::message));
        return out;
    }

    /** The validator's message without its leading location (we name the entry ourselves). */
    private static String message(ValidationMessage m) {
        String text = m.getMessage();
        String prefix = m.getInstanceLocation() + ": ";
        return text.startsWith(prefix) ? text.substring(prefix.length()) : text;
    }
}
