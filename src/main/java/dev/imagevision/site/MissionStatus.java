package dev.imagevision.site;

import java.util.Locale;

/** A mission's status in the missions index; anything unrecognised is UNKNOWN (never PLANNED). */
public enum MissionStatus {
    FLOWN, ACTIVE, PLANNED, ENDED, CRASHED, LOST, UNKNOWN;

    public static MissionStatus parse(String raw) {
        if (raw == null) return UNKNOWN;
        try {
            return valueOf(raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
