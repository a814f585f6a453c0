package dev.imagevision.inventory;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Something that went wrong with one entry, named: the path, the stage and what happened. */
public record Problem(@JsonProperty("path") String path, @JsonProperty("stage") String stage,
                      @JsonProperty("message") String message) {
    /**
     * The stage of an image the hard cost limit left for the next run: named, but not failed (nothing
     * is wrong with it and nothing about it is cached).
     */
    public static final String DEFERRED = "deferred";

    public boolean deferred() {
        return DEFERRED.equals(stage);
    }
}
