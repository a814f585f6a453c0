package dev.imagevision.site;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading JSON site files with errors that name the file, line and column. */
public final class Json {
    private Json() {}

    /** Lenient reader for files other tools write (unknown fields ignored). */
    public static final ObjectMapper LENIENT = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Strict reader for files we define (a misspelt key is an error, not a silent default). */
    public static final ObjectMapper STRICT = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

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
        return new SiteFileException(file, "invalid JSON at " + where + e.getOriginalMessage().lines().findFirst().orElse(""), e);
    }
}
