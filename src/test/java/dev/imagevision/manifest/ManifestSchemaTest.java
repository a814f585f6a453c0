package dev.imagevision.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.site.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ManifestSchemaTest {
    static final String ENTRY = "/images/missions/apollo13/01.jpg";
    static ManifestSchema schema;

    @BeforeAll
    static void load() {
        schema = ManifestSchema.load();
    }

    static ObjectNode realSample() throws IOException {
        try (InputStream in = ManifestSchemaTest.class.getResourceAsStream("/manifest/image-vision.sample.json")) {
            return (ObjectNode) Json.LENIENT.readTree(in);
        }
    }

    @Test
    void theSitesRealManifestIsValid() throws IOException {
        ObjectNode sample = realSample();
        // the real file has "1x1": "" variants and entries with and without subject_match
        assertThat(sample.at("/entries/" + ENTRY.replace("/", "~1") + "/variants/1x1").textValue()).isEmpty();
        assertThat(schema.check(sample)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "score above 10               | score               | 11",
            "score not a number           | score               | '\"9\"'",
            "unknown category             | category            | '\"selfie\"'",
            "focal point outside          | focal_point         | '{\"x\": 1.5, \"y\": 0.5}'",
            "focal point missing y        | focal_point         | '{\"x\": 0.5}'",
            "unknown rejection            | rejected_by         | '\"too-dark\"'",
            "variant not a site path      | variants            | '{\"1x1\": \"images/x.1x1.jpg\"}'",
            "variant escaping the site    | variants            | '{\"1x1\": \"/images/../../etc/passwd\"}'",
            "variant ratio not WxH        | variants            | '{\"square\": \"/images/x.1x1.jpg\"}'",
            "hero with a gallery rank     | selection           | '{\"group\": \"missions/apollo13\", \"role\": \"hero\", \"rank\": 3}'",
            "gallery rank above 8         | selection           | '{\"group\": \"missions/apollo13\", \"role\": \"gallery\", \"rank\": 9}'",
            "unknown role                 | selection           | '{\"group\": \"missions/apollo13\", \"role\": \"banner\", \"rank\": 0}'",
            "human rejection with a score | rejected_by         | '\"human\"'",
            "negative cost                | scoring_cost_usd    | -0.5",
            "unknown field                | focal_pint          | '{\"x\": 0.5, \"y\": 0.5}'",
            "timestamp not ISO            | scored_at           | '\"yesterday\"'",
            "fallback that is not a hero  | fallback            | true",
    })
    void aBrokenEntryIsNamed(String name, String field, String json) throws IOException {
        ObjectNode sample = realSample();
        ObjectNode entry = (ObjectNode) sample.get("entries").get(ENTRY);
        entry.set(field, Json.LENIENT.readTree(json));
        if (name.startsWith("fallback")) {
            entry.set("selection", Json.LENIENT.readTree("{\"group\": \"missions/apollo13\", \"role\": \"none\", \"rank\": null}"));
        }
        List<ManifestSchema.Violation> v = schema.check(sample);
        assertThat(v).as(name).isNotEmpty();
        assertThat(v).as(name).allSatisfy(x -> assertThat(x.entry()).isEqualTo(ENTRY));
    }

    @Test
    void aMissingRequiredFieldIsNamed() throws IOException {
        ObjectNode sample = realSample();
        ((ObjectNode) sample.get("entries").get(ENTRY)).remove("score");
        assertThat(schema.check(sample)).singleElement().satisfies(v -> {
            assertThat(v.entry()).isEqualTo(ENTRY);
            assertThat(v.message()).contains("score");
        });
    }

    @Test
    void headerProblemsHaveNoEntry() throws IOException {
        ObjectNode sample = realSample();
        sample.put("version", "one");
        sample.remove("entries");
        List<ManifestSchema.Violation> v = schema.check(sample);
        assertThat(v).hasSize(2).allSatisfy(x -> assertThat(x.entry()).isNull());
        assertThat(v).extracting(ManifestSchema.Violation::message).anySatisfy(m -> assertThat(m).contains("entries"));
    }

    @Test
    void anEntryKeyThatIsNotAProvenancePathIsNamed() throws IOException {
        ObjectNode sample = realSample();
        JsonNode e = sample.get("entries").get(ENTRY);
        ((ObjectNode) sample.get("entries")).set("images/no-leading-slash.jpg", e);
        assertThat(schema.check(sample)).singleElement().satisfies(x -> {
            assertThat(x.entry()).isEqualTo("images/no-leading-slash.jpg");
            assertThat(x.message()).contains("not a provenance path");
        });
    }
}
