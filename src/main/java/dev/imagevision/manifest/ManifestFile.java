package dev.imagevision.manifest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.imagevision.cache.AtomicFiles;
import dev.imagevision.site.Json;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the manifest leniently (the site's older files parse) and writes it byte-stably: keys
 * sorted, two-space indent, LF, numbers in plain decimal, trailing newline.
 */
public final class ManifestFile {
    private ManifestFile() {}

    /** The mapper for every file whose bytes must be stable (manifest, curation, ledger). */
    public static final ObjectMapper STABLE = stableMapper();

    private static ObjectMapper stableMapper() {
        SimpleModule numbers = new SimpleModule("plain-numbers");
        numbers.addSerializer(Double.class, new PlainDouble());
        numbers.addSerializer(double.class, new PlainDouble());
        return JsonMapper.builder()
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .defaultPrettyPrinter(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                        .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                        .withArrayIndenter(new DefaultIndenter("  ", "\n")))
                .addModule(numbers)
                .build();
    }

    /** Doubles as plain decimals without trailing zeros: 0.5, 12, 0.000123 (never 1.23E-4). */
    static final class PlainDouble extends StdSerializer<Double> {
        PlainDouble() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value == null || !Double.isFinite(value)) {
                gen.writeNull();
                return;
            }
            BigDecimal d = BigDecimal.valueOf(value).stripTrailingZeros();
            if (d.scale() < 0) d = d.setScale(0);
            gen.writeNumber(d.toPlainString());
        }
    }

    /** The manifest at {@code file}, or an empty one when there is none. Malformed → error naming line and column. */
    public static Manifest read(Path file) {
        if (!Files.exists(file)) return new Manifest(Manifest.VERSION, null, null, null, null, new TreeMap<>());
        Manifest m = Json.read(file, Json.LENIENT, Manifest.class);
        Map<String, ManifestEntry> entries = m.entries() == null ? new TreeMap<>() : new TreeMap<>(m.entries());
        entries.values().removeIf(e -> e == null);
        return new Manifest(m.version(), m.generatedAt(), m.visionProvider(), m.visionModel(), m.promptVersion(), entries);
    }

    public static byte[] bytes(Object value) {
        try {
            String text = STABLE.writeValueAsString(value) + "\n";
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** Writes atomically, and only when the bytes differ. Returns whether the file changed. */
    public static boolean write(Path file, Manifest manifest) throws IOException {
        return AtomicFiles.writeIfChanged(file, bytes(manifest));
    }
}
