package dev.imagevision.report;

import dev.imagevision.crop.CropWindow;
import dev.imagevision.curation.Curation;
import dev.imagevision.curation.CurationEntry;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.site.ImagePath;
import dev.imagevision.site.Mission;
import dev.imagevision.site.ProvenanceEntry;
import dev.imagevision.site.SourceImage;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the audit report shows, decided from the manifest, the curation file, provenance and the
 * thumbnails, with no file or clock in sight: groups by entity (hero and gallery first), one card
 * per image, and the totals per group and per run.
 */
public record AuditData(Header header, Totals run, LastRunSpend lastRun, List<Group> groups, List<String> categories,
                        List<String> notes) {

    /** The run that made the manifest. */
    public record Header(String provider, String model, String promptVersion, String generatedAt) {}

    /**
     * Counts over a set of images, and what their current scores cost when they were made
     * ({@code scoring_cost_usd}, whichever run paid it): not what any one run spent.
     */
    public record Totals(int images, double scoresCostUsd, int rejected, int fallbacks, int flagged, int unscored) {
        static Totals of(List<Card> cards) {
            double spend = 0;
            int rejected = 0, fallbacks = 0, flagged = 0, unscored = 0;
            for (Card c : cards) {
                if (c.costUsd() != null) spend += c.costUsd();
                if (c.state() == State.REJECTED) rejected++;
                if (c.fallback()) fallbacks++;
                if (c.flagged()) flagged++;
                if (c.state() == State.UNSCORED) unscored++;
            }
            return new Totals(cards.size(), spend, rejected, fallbacks, flagged, unscored);
        }
    }

    /**
     * One entity's images, hero and gallery first.
     *
     * @param lastRun what the last paid run spent on this group's images; null when it paid for none of them
     */
    public record Group(String key, String missionStatus, Totals totals, RunSpend lastRun, List<Card> cards) {}

    /** Where an image stands after selection. */
    public enum State {
        HERO, GALLERY, REJECTED, NOT_SELECTED, UNSCORED;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A 192 px preview: JPEG bytes and their size. */
    public record Thumbnail(byte[] jpeg, int width, int height) {}

    /** Calls the cost ledger records for one image. */
    public record LedgerCost(int calls, double usd) {}

    /**
     * The most recent run the cost ledger has calls for: its {@code run_id}, its first call's time,
     * and its calls per image.
     *
     * @param unconfirmed calls charged at their ceiling because their reply was never recorded
     */
    public record LastRun(String runId, String startedAt, Map<String, LedgerCost> byImage, int unconfirmed) {}

    /** What a run spent on a set of images: how many it paid for, in how many calls, for how much. */
    public record RunSpend(int images, int calls, double usd) {
        static RunSpend of(java.util.Collection<LedgerCost> costs) {
            int calls = 0;
            double usd = 0;
            for (LedgerCost c : costs) {
                calls += c.calls();
                usd += c.usd();
            }
            return new RunSpend(costs.size(), calls, usd);
        }
    }

    /**
     * The last paid run as the report shows it.
     *
     * @param total      everything it spent
     * @param groups     how many groups it paid for images of
     * @param elsewhere  images it paid for that are on no card any more (left provenance and the manifest)
     */
    public record LastRunSpend(String runId, String startedAt, RunSpend total, int groups, int elsewhere,
                               int unconfirmed) {}

    /** Everything the report is made from. */
    public record Inputs(Manifest manifest, Curation curation, List<SourceImage> sources, Map<String, Mission> missions,
                         Map<String, Thumbnail> thumbnails, Map<String, String> thumbnailErrors,
                         Map<String, Map<String, CropWindow.Fraction>> previewWindows,
                         Map<String, LedgerCost> ledger, LastRun lastRun, List<String> notes) {}

    /**
     * One image.
     *
     * @param focal           the focal point crops use: the editor's override, else the model's
     * @param windows         the crop windows over the source as fractions (1x1, 4x3, 16x9, …)
     * @param windowsPreview  the windows are computed from an override the next score run has not cut yet
     * @param overridePending the editor's focal point or box differs from what the manifest was cut with
     */
    public record Card(int index, String path, String group, Integer score, String category, String subject,
                       FocalPoint focal, SubjectBox box, Map<String, CropWindow.Fraction> windows,
                       boolean windowsPreview, State state, String role, Integer rank, String rejectedBy,
                       String rejectReason, boolean fallback, boolean flagged, String flagReason, String flaggedAt,
                       boolean override, boolean overridePending, Double costUsd, LedgerCost ledger, LedgerCost lastRun,
                       String provider,
                       String model, ProvenanceEntry provenance, String licenceUrl, Thumbnail thumbnail,
                       String thumbnailError) {

        /** The selection status as the editor reads it. */
        public String statusText() {
            StringBuilder s = new StringBuilder();
            if (flagged) {
                s.append("Flagged: ").append(flagReason == null ? "" : flagReason);
                if (!"human".equals(rejectedBy)) s.append(" (the next score run re-selects the group)");
                return s.toString();
            }
            switch (state) {
                case HERO -> s.append("Hero");
                case GALLERY -> s.append("Gallery slot ").append(rank == null ? "?" : rank);
                case REJECTED -> s.append("Rejected: ").append(rejectionLabel(rejectedBy));
                case NOT_SELECTED -> s.append("Not selected (acceptable; the gallery is full)");
                case UNSCORED -> s.append("Not scored yet (no manifest entry)");
            }
            if (fallback) s.append(" · fallback: nothing in the group was acceptable")
                    .append(rejectedBy == null ? "" : " (" + rejectionLabel(rejectedBy) + ")");
            return s.toString();
        }
    }

    /** Plain words for a {@code rejected_by} id. */
    public static String rejectionLabel(String id) {
        if (id == null) return "";
        return switch (id) {
            case "human" -> "flagged by an editor";
            case "off-subject" -> "off-subject";
            case "category-people" -> "people photo";
            case "category-diagram" -> "diagram";
            case "render-on-flown-mission" -> "render on a flown mission";
            case "score-below-threshold" -> "score below threshold";
            default -> id;
        };
    }

    public static AuditData build(Inputs in) {
        Manifest manifest = in.manifest();
        Map<String, CurationEntry> rows = in.curation().byPath();
        Map<String, ProvenanceEntry> provenance = new TreeMap<>();
        for (SourceImage s : in.sources()) provenance.put(s.path(), s.provenance());

        Set<String> paths = new LinkedHashSet<>(manifest.entries().keySet());
        paths.addAll(provenance.keySet()); // sources the manifest lacks show up as "not scored yet"
        Map<String, List<Card>> byGroup = new TreeMap<>();
        for (String path : paths) {
            Card c = card(path, manifest, manifest.entries().get(path), rows.get(path), provenance.get(path), in);
            byGroup.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c);
        }

        List<Group> groups = new ArrayList<>();
        List<Card> all = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, List<Card>> g : byGroup.entrySet()) {
            List<Card> cards = new ArrayList<>(g.getValue());
            cards.sort(ORDER);
            List<Card> numbered = new ArrayList<>(cards.size());
            for (Card c : cards) numbered.add(withIndex(c, index++));
            all.addAll(numbered);
            List<LedgerCost> paid = numbered.stream().map(Card::lastRun).filter(Objects::nonNull).toList();
            groups.add(new Group(g.getKey(), missionStatus(g.getKey(), in.missions()), Totals.of(numbered),
                    paid.isEmpty() ? null : RunSpend.of(paid), List.copyOf(numbered)));
        }

        Set<String> categories = new LinkedHashSet<>();
        for (Category c : Category.values()) categories.add(c.id());
        all.stream().map(Card::category).filter(Objects::nonNull).sorted().forEach(categories::add);
        Header header = new Header(manifest.visionProvider(), manifest.visionModel(), manifest.promptVersion(),
                manifest.generatedAt());
        return new AuditData(header, Totals.of(all), lastRun(in.lastRun(), all, groups), List.copyOf(groups),
                List.copyOf(categories), List.copyOf(in.notes()));
    }

    private static LastRunSpend lastRun(LastRun run, List<Card> cards, List<Group> groups) {
        if (run == null) return null;
        Set<String> shown = new java.util.HashSet<>();
        for (Card c : cards) shown.add(c.path());
        int elsewhere = (int) run.byImage().keySet().stream().filter(p -> !shown.contains(p)).count();
        int paidGroups = (int) groups.stream().filter(g -> g.lastRun() != null).count();
        return new LastRunSpend(run.runId(), run.startedAt(), RunSpend.of(run.byImage().values()), paidGroups, elsewhere,
                run.unconfirmed());
    }

    /** Hero, gallery slots in order, then the rest by score (best first) and path. */
    static final Comparator<Card> ORDER = Comparator.comparingInt(AuditData::placeOrder)
            .thenComparing((Card c) -> c.score() == null ? Integer.MIN_VALUE : c.score(), Comparator.reverseOrder())
            .thenComparing(Card::path);

    private static int placeOrder(Card c) {
        if (c.state() == State.HERO) return 0;
        if (c.state() == State.GALLERY) return c.rank() == null ? 9 : Math.min(9, Math.max(1, c.rank()));
        return 10;
    }

    private static Card card(String path, Manifest manifest, ManifestEntry e, CurationEntry row, ProvenanceEntry prov,
                             Inputs in) {
        ImagePath image = ImagePath.of(path);
        String group = e != null && e.selection() != null && e.selection().group() != null ? e.selection().group() : image.group();
        boolean flagged = row != null && row.flagged();
        FocalPoint focal = effectiveFocal(e, row);
        SubjectBox box = effectiveBox(e, row);
        boolean override = row != null && (row.focalPoint() != null || row.subjectBox() != null);
        boolean pending = overridePending(e, row);
        Map<String, CropWindow.Fraction> preview = in.previewWindows().get(path);
        Map<String, CropWindow.Fraction> windows = pending && preview != null ? preview
                : e == null || e.cropWindows() == null ? Map.of() : e.cropWindows();

        String role = e == null || e.selection() == null ? "none" : e.selection().role();
        State state;
        if (e == null) state = State.UNSCORED;
        else if (flagged) state = State.REJECTED;
        else if ("hero".equals(role)) state = State.HERO;
        else if ("gallery".equals(role)) state = State.GALLERY;
        else if (e.rejectedBy() != null) state = State.REJECTED;
        else state = State.NOT_SELECTED;

        String provider = e == null ? null : e.provider() != null ? e.provider() : manifest.visionProvider();
        String model = e == null ? null : e.model() != null ? e.model() : manifest.visionModel();
        return new Card(-1, path, group, e == null ? null : e.score(), e == null ? null : e.category(),
                e == null ? null : e.subject(), focal, box, new TreeMap<>(windows), pending && preview != null, state, role,
                e == null || e.selection() == null ? null : e.selection().rank(), e == null ? null : e.rejectedBy(),
                e == null ? null : e.rejectReason(), e != null && Boolean.TRUE.equals(e.fallback()), flagged,
                flagged ? row.reason() : null, flagged ? row.flaggedAt() : null, override, pending,
                e == null ? null : e.scoringCostUsd(), in.ledger().get(path),
                in.lastRun() == null ? null : in.lastRun().byImage().get(path), provider, model, prov,
                prov == null ? null : safeUrl(prov.licenseUrl()), in.thumbnails().get(path), in.thumbnailErrors().get(path));
    }

    private static Card withIndex(Card c, int index) {
        return new Card(index, c.path(), c.group(), c.score(), c.category(), c.subject(), c.focal(), c.box(), c.windows(),
                c.windowsPreview(), c.state(), c.role(), c.rank(), c.rejectedBy(), c.rejectReason(), c.fallback(),
                c.flagged(), c.flagReason(), c.flaggedAt(), c.override(), c.overridePending(), c.costUsd(), c.ledger(),
                c.lastRun(), c.provider(), c.model(), c.provenance(), c.licenceUrl(), c.thumbnail(), c.thumbnailError());
    }

    private static String missionStatus(String group, Map<String, Mission> missions) {
        if (!group.startsWith("missions/")) return null;
        Mission m = missions.get(group.substring("missions/".length()));
        return m == null ? null : m.missionStatus().name();
    }

    /** An editor's override that the manifest's crops do not reflect yet (the next score run cuts it). */
    public static boolean overridePending(ManifestEntry e, CurationEntry row) {
        if (row == null || (row.focalPoint() == null && row.subjectBox() == null)) return false;
        if (e == null) return true;
        return !Objects.equals(effectiveFocal(e, row), e.focalPoint()) || !Objects.equals(effectiveBox(e, row), e.subjectBox());
    }

    /** The focal point crops use: the editor's, else the model's. */
    public static FocalPoint effectiveFocal(ManifestEntry e, CurationEntry row) {
        if (row != null && row.focalPoint() != null) return row.focalPoint();
        return e == null ? null : e.focalPoint();
    }

    public static SubjectBox effectiveBox(ManifestEntry e, CurationEntry row) {
        if (row != null && row.subjectBox() != null) return row.subjectBox();
        return e == null ? null : e.subjectBox();
    }

    /** A link target from provenance, only when it is plain http(s): a {@code javascript:} URL is never a link. */
    static String safeUrl(String url) {
        if (url == null) return null;
        String u = url.strip();
        String lower = u.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("https://") || lower.startsWith("http://"))) return null;
        for (int i = 0; i < u.length(); i++) {
            char c = u.charAt(i);
            if (c <= 0x20 || c == 0x7F) return null;
        }
        return u;
    }
}
