package dev.imagevision.inventory;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Something that went wrong with one entry, named: the path, the stage and what happened. */
public record Problem(@JsonProperty("path") String path, @JsonProperty("stage") String stage,
                      @JsonProperty("message") String message) {}
