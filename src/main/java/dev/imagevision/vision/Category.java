package dev.imagevision.vision;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Optional;

/** The nine categories of the spec (M1), written lower-case in every file. */
public enum Category {
    SPACECRAFT, SURFACE, LAUNCH, ORBITAL, HARDWARE, PEOPLE, DIAGRAM, RENDER, OTHER;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    static Category fromJson(String raw) {
        return parse(raw).orElseThrow(() -> new IllegalArgumentException("unknown category " + raw));
    }

    public static Optional<Category> parse(String raw) {
        if (raw == null) return Optional.empty();
        try {
            return Optional.of(valueOf(raw.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
