package dev.imagevision.site;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One provenance row as the site writes it; we only read the fields we use. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProvenanceEntry(
        @JsonProperty("id") String id,
        @JsonProperty("path") String path,
        @JsonProperty("source_type") String sourceType,
        @JsonProperty("agency") String agency,
        @JsonProperty("title") String title,
        @JsonProperty("author") String author,
        @JsonProperty("credit") String credit,
        @JsonProperty("license_short") String licenseShort,
        @JsonProperty("license_url") String licenseUrl) {

    public ProvenanceEntry withPath(String newPath) {
        return new ProvenanceEntry(id, newPath, sourceType, agency, title, author, credit, licenseShort, licenseUrl);
    }

    /** The credit line to show: an explicit credit, else the author. */
    public String creditLine() {
        if (credit != null && !credit.isBlank()) return credit;
        return author == null ? "" : author;
    }

    public String agencyOrEmpty() {
        return agency == null ? "" : agency;
    }

    public String sourceTypeOrEmpty() {
        return sourceType == null ? "" : sourceType;
    }
}
