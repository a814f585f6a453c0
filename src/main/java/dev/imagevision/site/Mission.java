package dev.imagevision.site;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One row of the missions index. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Mission(@JsonProperty("id") String id, @JsonProperty("agency") String agency,
                      @JsonProperty("dest") String dest, @JsonProperty("status") String status) {

    public MissionStatus missionStatus() {
        return MissionStatus.parse(status);
    }
}
