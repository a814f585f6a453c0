package dev.imagevision.vision.anthropic;

import dev.imagevision.vision.Category;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.Judgement;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the model is told. The version is part of every score cache key: change any text or the
 * schema here and bump it, and every cached Anthropic score is asked again (spec M20).
 */
public final class Prompt {
    private Prompt() {}

    public static final String VERSION = "anthropic-1";
    public static final String TOOL_NAME = "record_judgement";
    static final int MAX_REJECT_REASON = 120;
    /** Longest piece of site text (entity, agency, reason) copied into the prompt. */
    static final int MAX_CONTEXT_TEXT = 200;

    static final String CATEGORIES = Arrays.stream(Category.values()).map(Category::id).collect(Collectors.joining(", "));

    static final String RUBRIC = """
            You are the photo editor of a space-exploration website. Each request shows one candidate image \
            for a page about one mission, spacecraft, rocket, place or person. Judge it and answer only by \
            calling the record_judgement tool, once.

            score, 1 to 10, how well the image serves as an editorial picture of what the page is about:
            10-9 striking and sharp; the subject is clear, well lit and well framed; hero quality.
            8-7 good and clearly on subject; small flaws of framing, light or resolution.
            6-5 usable in a gallery: plain, small subject, mild blur or clutter.
            4-3 weak: subject tiny, hidden or cut off, heavy noise, a caption or watermark over it.
            2-1 unusable: blank, corrupt, unreadable.
            A frame that does not show what the page is about never scores above 4.

            category, exactly one of these ids:
            spacecraft: a spacecraft, probe, rover, lander, capsule or station is the main subject, as a whole vehicle.
            surface: the surface of a planet, moon, asteroid or comet seen from the ground or low altitude, including rover and lander views.
            launch: a launch vehicle on the pad, lifting off or in flight; launch-site scenes.
            orbital: a planet, moon or other body seen whole or from orbit; Earth from space; telescope views.
            hardware: components, instruments, engines, test articles, assembly and clean-room scenes, physical mock-ups and museum replicas.
            people: people are the main subject: crew portraits, teams, press events, control rooms.
            diagram: diagrams, charts, maps, infographics, schematics, labelled illustrations, logos, patches, screenshots.
            render: an artist's impression, CGI, animation frame or painting of the subject, however photorealistic.
            other: anything else: stamps, posters, documents, unrelated objects.

            Rules:
            - People: choose people whenever a person is the main subject, even an astronaut beside a spacecraft. \
            A person who is small in a photograph of a vehicle does not make it people.
            - Diagrams: an image that is mostly lines, labels, text or a chart is diagram, even with a photograph inside it.
            - Renders: anything that is not a photograph of the real thing is render. If you cannot tell a \
            photograph from a render, choose render and say so in the subject. Only classify: whether a render \
            suits the page is decided later from the mission's status.
            - Mock-ups and museum replicas are hardware, not spacecraft, and the subject says so.
            - Do not invent names you cannot verify from the image or the page context; describe what is visible.

            subject: one sentence of at most 280 characters that works as alt text: what is visible, naming the \
            subject when the image and the page context agree. Do not start with "image of" or "photo of".
            focal_point: x and y from 0 to 1, measured from the top-left corner: the point a crop must keep, \
            the centre of the main subject.
            subject_box: x, y, w, h from 0 to 1: the smallest box that holds the whole main subject. The focal \
            point lies inside it.
            subject_match: true only when the frame shows what the page is about: its spacecraft or vehicle, its \
            launch, its hardware, its crew, what it imaged, or the body it explores. false for a different \
            spacecraft or mission, an unrelated thing that shares the name (a fruit-juice drink on the page of \
            the JUICE mission), a generic stock photograph, or a subject so small or distant it is incidental.
            reject_reason: when subject_match is false or score is 4 or less, a short reason of at most 120 \
            characters; otherwise null.""";

    /** The system text: the rubric, then the editor's most recent deny-list reasons (spec M16). */
    public static String system(List<String> recentDenyReasons) {
        StringBuilder s = new StringBuilder(RUBRIC);
        List<String> reasons = recentDenyReasons == null ? List.of()
                : recentDenyReasons.stream().map(r -> clean(r, MAX_CONTEXT_TEXT)).filter(r -> !r.isEmpty()).toList();
        if (!reasons.isEmpty()) {
            s.append("\n\nThe editor recently rejected images for these reasons; judge similar images the same way:");
            for (String r : reasons) s.append("\n- \"").append(r).append('"');
        }
        return s.toString();
    }

    /** The per-image text that follows the image: which page it is for and what it should show. */
    public static String user(ImageContext c, List<String> strictProblems) {
        String entity = clean(c.entity(), MAX_CONTEXT_TEXT);
        String segment = clean(c.segment(), MAX_CONTEXT_TEXT);
        String agency = clean(c.agency(), MAX_CONTEXT_TEXT);
        String dest = clean(c.destination(), MAX_CONTEXT_TEXT);
        String status = c.missionStatus() == null ? "" : c.missionStatus().strip().toUpperCase(Locale.ROOT);
        String meaning = statusMeaning(status);
        boolean mission = "missions".equals(c.segment());
        StringBuilder s = new StringBuilder("Page context\n");
        if (entity.isEmpty()) {
            s.append("- This image is not filed under a known page; judge it on its own.\n");
        } else {
            s.append("- Filed under ").append(mission ? "the mission" : segment.isEmpty() ? "the entry" : "the " + segment + " entry")
                    .append(" \"").append(entity).append("\"\n");
            if (!agency.isEmpty()) s.append("- Agency: ").append(agency).append('\n');
            if (!dest.isEmpty()) s.append("- Destination: ").append(dest).append('\n');
            if (mission && meaning != null) {
                s.append("- Mission status: ").append(status).append(" (").append(meaning).append(")\n");
            }
            s.append("- This frame should show ").append(expected(entity, mission, agency, dest)).append(".\n");
        }
        s.append("- File: ").append(clean(c.path(), MAX_CONTEXT_TEXT)).append('\n');
        if (strictProblems != null && !strictProblems.isEmpty()) {
            s.append("\nYour previous reply could not be used: ")
                    .append(strictProblems.stream().map(p -> clean(p, MAX_CONTEXT_TEXT)).collect(Collectors.joining("; ")))
                    .append(".\nCall record_judgement once more and fill every field exactly as its schema says: score an "
                            + "integer from 1 to 10; category one of ").append(CATEGORIES)
                    .append("; focal_point and subject_box numbers from 0 to 1; subject one sentence of at most ")
                    .append(Judgement.MAX_SUBJECT).append(" characters; subject_match true or false; reject_reason a "
                            + "short text or null.\n");
        }
        return s.toString();
    }

    static String expected(String entity, boolean mission, String agency, String dest) {
        if (!mission) return "\"" + entity + "\" or something that belongs to it";
        StringBuilder s = new StringBuilder("the \"").append(entity).append("\" mission");
        List<String> about = new java.util.ArrayList<>();
        if (!agency.isEmpty()) about.add(agency);
        if (!dest.isEmpty()) about.add("to " + dest);
        if (!about.isEmpty()) s.append(" (").append(String.join(", ", about)).append(')');
        return s.append(": its spacecraft, its launch, its hardware, its crew or what it imaged").toString();
    }

    /** What a missions-index status means for the pictures that can exist; null for a status the index does not define. */
    static String statusMeaning(String status) {
        return switch (status) {
            case "PLANNED" -> "not launched yet: hardware, tests and artist's renders are what exists";
            case "ACTIVE" -> "launched and operating";
            case "FLOWN", "ENDED" -> "flown: real photographs exist";
            case "CRASHED", "LOST" -> "flown and lost";
            default -> null;
        };
    }

    /** Site text made safe to quote: no control characters, double quotes made single, whitespace collapsed, bounded. */
    static String clean(String raw, int max) {
        if (raw == null) return "";
        StringBuilder out = new StringBuilder();
        raw.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp == '"' ? '\'' : cp));
        String s = out.toString().replaceAll("\\s+", " ").strip();
        return s.length() <= max ? s : s.substring(0, max - 1).stripTrailing() + "…";
    }

    /** The tool's input schema: the reply is data the API checks against, not prose to scrape. */
    static Map<String, Object> schema() {
        Map<String, Object> unit = Map.of("type", "number", "minimum", 0, "maximum", 1);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("score", Map.of("type", "integer", "minimum", 1, "maximum", 10,
                "description", "1 (unusable) to 10 (hero quality), see the rubric"));
        props.put("subject", Map.of("type", "string", "maxLength", Judgement.MAX_SUBJECT,
                "description", "one sentence of alt text"));
        props.put("category", Map.of("type", "string",
                "enum", Arrays.stream(Category.values()).map(Category::id).toList()));
        props.put("focal_point", Map.of("type", "object", "properties", Map.of("x", unit, "y", unit),
                "required", List.of("x", "y"), "additionalProperties", false));
        props.put("subject_box", Map.of("type", "object",
                "properties", Map.of("x", unit, "y", unit, "w", unit, "h", unit),
                "required", List.of("x", "y", "w", "h"), "additionalProperties", false));
        props.put("subject_match", Map.of("type", "boolean",
                "description", "false when the frame does not show what the page is about"));
        props.put("reject_reason", Map.of("type", List.of("string", "null"), "maxLength", MAX_REJECT_REASON));
        return props;
    }

    static final List<String> REQUIRED = List.of("score", "subject", "category", "focal_point", "subject_box",
            "subject_match", "reject_reason");

    static String toolDescription() {
        return "Record the judgement of the image: score, subject, category (" + CATEGORIES.toLowerCase(Locale.ROOT)
                + "), focal point, subject box, whether it shows what the page is about, and why not.";
    }
}
