package dev.imagevision.selection;

import dev.imagevision.site.MissionStatus;
import dev.imagevision.vision.Category;

/**
 * What selection needs to know of one image.
 *
 * @param missionGroup  the group is a mission (segment {@code missions})
 * @param missionStatus the mission's status; UNKNOWN for non-missions and unknown ids
 * @param subjectMatch  false when the model said the frame is off-subject
 * @param humanRejected on the editor's deny-list
 * @param priorRejection the site's previous tool's {@code rejected_by} for an adopted judgement (it stands), or null
 */
public record Candidate(String path, String group, boolean missionGroup, MissionStatus missionStatus, int score,
                        Category category, boolean subjectMatch, boolean humanRejected, String priorRejection) {

    public Candidate(String path, String group, boolean missionGroup, MissionStatus missionStatus, int score,
                     Category category, boolean subjectMatch, boolean humanRejected) {
        this(path, group, missionGroup, missionStatus, score, category, subjectMatch, humanRejected, null);
    }
}
