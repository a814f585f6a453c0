package dev.imagevision.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptJsonTest {
    @Test
    void closingTagsCommentsAndLineSeparatorsCannotEscapeTheScriptElement() {
        String json = ScriptJson.of(Map.of("s", "</script><script>alert(1)</script><!-- & \u2028\u2029"));
        assertThat(json).doesNotContain("<", ">", "&", "\u2028", "\u2029")
                .contains("\\u003c/script\\u003e").contains("\\u2028").contains("\\u0026");
    }

    @Property
    void anyTextSurvivesTheRoundTripAndNothingDangerousIsLeft(@ForAll String text) throws Exception {
        String json = ScriptJson.of(Map.of("t", text));
        assertThat(json).doesNotContain("<", ">", "&", "\u2028", "\u2029");
        assertThat(new ObjectMapper().readTree(json).get("t").asText()).isEqualTo(text);
    }
}
