package dev.imagevision.vision.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.ImageContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PromptTest {

    @Test
    void theRubricCarriesTheScaleTheNineCategoriesAndThePeopleDiagramRenderRules() {
        String s = Prompt.system(List.of());
        for (Category c : Category.values()) assertThat(s).contains(c.id() + ":");
        assertThat(s).contains("10-9", "2-1", "never scores above 4", "People:", "Diagrams:", "Renders:", "subject_match",
                "fruit-juice drink");
        assertThat(s).doesNotContain("recently rejected");
    }

    @Test
    void theNewestDenyListReasonsAreQuotedSafely() {
        String s = Prompt.system(List.of("looks like a render", "wrong rover", "said \"hi\"\nand left"));
        assertThat(s).contains("recently rejected", "- \"looks like a render\"", "- \"wrong rover\"", "- \"said 'hi' and left\"");
    }

    /**
     * Every case of the site's off-subject evaluation set (juice drinks under the JUICE mission,
     * misplaced fleet galleries, stamps) gets a prompt that names what the frame should show.
     */
    @Test
    void everyOffSubjectCaseIsToldWhatItsFrameShouldShow() throws IOException {
        JsonNode set = FakeAnthropic.JSON.readTree(Path.of("src/test/resources/orrery/off-subject-set.json").toFile());
        Map<String, JsonNode> missions = new HashMap<>();
        FakeAnthropic.JSON.readTree(Path.of("src/test/resources/orrery/missions-index.sample.json").toFile())
                .forEach(m -> missions.put(m.get("id").asText(), m));
        assertThat(set.get("cases").size()).isGreaterThan(20);
        for (JsonNode c : set.get("cases")) {
            String path = c.get("path").asText();
            String segment = path.split("/")[2];
            String entity = c.get("entity").asText();
            JsonNode m = "missions".equals(segment) ? missions.get(entity) : null;
            ImageContext ctx = new ImageContext(path, segment, entity, c.get("agency").asText(),
                    m == null ? "" : m.get("dest").asText(), m == null ? "" : m.get("status").asText(), List.of());
            String text = Prompt.user(ctx, null);
            assertThat(text).as(path).contains("\"" + entity + "\"", "This frame should show", c.get("agency").asText(), path);
            if (segment.equals("missions")) assertThat(text).contains("the \"" + entity + "\" mission");
            else assertThat(text).contains("the " + segment + " entry");
        }
        ImageContext juice = new ImageContext("/images/missions/juice/02.jpg", "missions", "juice", "ESA", "JUPITER",
                "ACTIVE", List.of());
        assertThat(Prompt.user(juice, null)).contains("Destination: JUPITER", "Mission status: ACTIVE (launched and operating)",
                "the \"juice\" mission (ESA, to JUPITER): its spacecraft");
    }

    @Test
    void aPlannedMissionIsToldThatRendersAreWhatExists() {
        ImageContext planned = new ImageContext("/images/missions/artemis3/01.jpg", "missions", "artemis3", "NASA", "MOON",
                "PLANNED", List.of());
        assertThat(Prompt.user(planned, null)).contains("PLANNED (not launched yet: hardware, tests and artist's renders");
        assertThat(Prompt.user(ImageContext.bare("/images/x.jpg"), null)).contains("not filed under a known page");
    }

    @Test
    void theStricterReaskListsTheProblemsAndTheExactFormat() {
        String text = Prompt.user(ImageContext.bare("/images/x.jpg"), List.of("category is \"spaceship\""));
        assertThat(text).contains("Your previous reply could not be used: category is 'spaceship'",
                "spacecraft, surface, launch, orbital, hardware, people, diagram, render, other", "from 1 to 10");
    }

    @Test
    void theVersionIsPartOfTheCacheKeyAndTheSchemaRequiresEveryField() {
        assertThat(Prompt.VERSION).isNotBlank();
        assertThat(Prompt.schema().keySet()).containsExactlyElementsOf(Prompt.REQUIRED);
    }
}
