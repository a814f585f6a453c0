package dev.imagevision.site;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading JSON site files with errors that name the file, line and column, and writing the ones
 * whose bytes must be stable.
 */
public final class Json {
    private Json() {}

    /** Lenient reader for files other tools write (unknown fields ignored). */
    public static final ObjectMapper LENIENT = noTextFromOtherValues(JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION))
            .build();

    /** Strict reader for files we define (a misspelt key is an error, not a silent default). */
    public static final ObjectMapper STRICT = noTextFromOtherValues(JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION))
            .build();

    /** A number or a boolean where text belongs ({@code "agency": 5}) is a wrong type, named, not quietly made text. */
    private static JsonMapper.Builder noTextFromOtherValues(JsonMapper.Builder b) {
        return b.withCoercionConfig(com.fasterxml.jackson.databind.type.LogicalType.Textual, c -> c
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer,
                        com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float,
                        com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Boolean,
                        com.fasterxml.jackson.databind.cfg.CoercionAction.Fail));
    }

    /**
     * One line per value, for machine output on a terminal ({@code --json}) and for files read line by
     * line: map keys sorted, every character outside ASCII written as a JSON escape (bidi overrides
     * and control characters never reach a terminal raw), unknown fields ignored when read.
     */
    public static final ObjectMapper COMPACT = JsonMapper.builder()
            .disable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .build();

    /**
     * The cost ledger's file: every amount read and written as an exact decimal, never in exponent
     * form, two-space indent, {@code "key": value}; fields in the order the ledger's records declare.
     * A key twice in one object is an error: a merge's {@code "entries": [], "entries": [...]} has no one
     * reading (the streaming pass saw both arrays and a paid run appended its calls to each).
     */
    public static final ObjectMapper LEDGER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .defaultPrettyPrinter(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n")))
            .build();

    /** The ledger journal: one record per line, amounts exact decimals, unknown fields ignored. */
    public static final ObjectMapper LEDGER_LINES = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /**
     * The writer for every file whose bytes must be stable (manifest, curation, ledger): keys
     * sorted unless a type fixes its order with {@code @JsonPropertyOrder}, map keys sorted,
     * two-space indent, LF, {@code "key": value}, {@code []} and {@code {}} when empty, doubles as
     * plain decimals.
     */
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
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""))
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
            // Double.toString already gives the shortest digits; only exponent forms need BigDecimal
            String s = Double.toString(value);
            if (s.indexOf('E') < 0) {
                if (s.endsWith(".0")) s = s.substring(0, s.length() - 2);
                gen.writeNumber(s.equals("-0") ? "0" : s);
                return;
            }
            BigDecimal d = BigDecimal.valueOf(value).stripTrailingZeros();
            if (d.scale() < 0) d = d.setScale(0);
            gen.writeNumber(d.toPlainString());
        }
    }

    /** A value in the stable form, with the trailing newline. */
    public static byte[] stableBytes(Object value) {
        try {
            return (STABLE.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static JsonNode readTree(Path file) {
        byte[] bytes = readBytes(file);
        try {
            JsonNode node = LENIENT.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new SiteFileException(file, "is empty, expected JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw describe(file, e);
        } catch (IOException e) {
            throw new SiteFileException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    public static <T> T read(Path file, ObjectMapper mapper, Class<T> type) {
        byte[] bytes = readBytes(file);
        try {
            T value = mapper.readValue(bytes, type);
            if (value == null) {
                throw new SiteFileException(file, "is empty (null), expected a JSON object");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw describe(file, e);
        } catch (IOException e) {
            throw new SiteFileException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    public static <T> T convert(Path file, JsonNode node, ObjectMapper mapper, Class<T> type) {
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw describe(file, e);
        } catch (IllegalArgumentException e) {
            throw new SiteFileException(file, e.getMessage(), e);
        }
    }

    static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new SiteFileException(file, "does not exist", e);
        } catch (IOException e) {
            throw new SiteFileException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Turns a Jackson error into "line L, column C: what was wrong". */
    public static SiteFileException describe(Path file, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 0 ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        if (where.isEmpty() && e instanceof JsonMappingException m && !m.getPath().isEmpty()) where = "\"" + path(m) + "\": ";
        return new SiteFileException(file, "invalid JSON at " + where + firstLine(e.getOriginalMessage()), e);
    }

    /** What a mapping error says about a value read from a tree (no line there): the field's path and the problem. */
    public static String field(Exception e) {
        String what = firstLine(e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage());
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null) {
            // in the user's words: what the field should hold and what it holds, not the library's advice
            java.util.regex.Matcher got = java.util.regex.Pattern.compile("^Cannot coerce (\\w+) value \\(([^)]*)\\)")
                    .matcher(what);
            if (got.find()) what = "expected " + kind(m.getTargetType()) + ", got " + got.group(1).toLowerCase(java.util.Locale.ROOT)
                    + " " + got.group(2);
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) return "\"" + path(m) + "\": " + what;
        return what;
    }

    private static String kind(Class<?> type) {
        if (type == String.class) return "text";
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) return "a whole number";
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) return "a number";
        if (type == Boolean.class) return "true or false";
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) return "an array";
        return "an object";
    }

    private static String path(JsonMappingException m) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) out.append(out.isEmpty() ? "" : ".").append(r.getFieldName());
            else if (r.getIndex() >= 0) out.append('[').append(r.getIndex()).append(']');
        }
        return out.toString();
    }

    private static String firstLine(String s) {
        return s == null ? "(no detail)" : s.lines().findFirst().orElse("");
    }
}
