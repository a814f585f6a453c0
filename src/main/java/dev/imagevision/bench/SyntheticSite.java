package dev.imagevision.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.cache.AtomicFiles;
import dev.imagevision.manifest.ManifestFile;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

/**
 * A synthetic site the size of the seed site (1,345 JPEGs in mission, fleet and planet groups by
 * default, provenance in the real format, a missions index) for the warm- and cold-run benchmarks.
 * Deterministic for a seed.
 */
public final class SyntheticSite {
    static final String[] STATUSES = {"FLOWN", "ACTIVE", "PLANNED", "ENDED", "CRASHED", "LOST"};
    static final String[] AGENCIES = {"NASA", "ESA", "JAXA", "ROSCOSMOS", "CNSA", "ISRO"};

    private SyntheticSite() {}

    /** Writes a site of {@code images} JPEGs with a long edge of {@code size} pixels into {@code out}; the same seed, the same bytes. */
    public static void write(Path out, int images, int size, long seed) throws IOException {
        Random rnd = new Random(seed);
        JsonNodeFactory f = JsonNodeFactory.instance;
        ArrayNode entries = f.arrayNode();
        ArrayNode missions = f.arrayNode();
        int perGroup = 9;
        for (int i = 0; i < images; i++) {
            int group = i / perGroup;
            String segment = group % 5 == 4 ? "fleet-galleries" : group % 5 == 3 ? "planets" : "missions";
            String entity = segment.substring(0, 1) + group;
            if (i % perGroup == 0 && segment.equals("missions")) {
                ObjectNode m = missions.addObject();
                m.put("id", entity).put("agency", AGENCIES[group % AGENCIES.length]).put("dest", "MARS")
                        .put("status", STATUSES[group % STATUSES.length]);
            }
            String rel = String.format("/images/%s/%s/%02d.jpg", segment, entity, i % perGroup + 1);
            Path file = out.resolve("static" + rel);
            Files.createDirectories(file.getParent());
            Files.write(file, syntheticJpeg(rnd, size));
            ObjectNode e = entries.addObject();
            e.put("id", String.format("%016x", rnd.nextLong())).put("path", rel).put("source_type", "nasa-images-api")
                    .put("agency", AGENCIES[group % AGENCIES.length]).put("title", "synthetic " + i)
                    .put("license_short", "PD-NASA");
        }
        ObjectNode prov = f.objectNode().put("schema_version", 1);
        prov.set("entries", entries);
        AtomicFiles.write(out.resolve("static/data/image-provenance.json"), ManifestFile.bytes(prov));
        AtomicFiles.write(out.resolve("static/data/missions/index.json"), ManifestFile.bytes(missions));
        AtomicFiles.write(out.resolve("imagevision.json"), "{\"provider\": \"local\"}\n".getBytes());
    }

    /** A dark frame with a bright disc and a rectangle at random places: enough for every stage to work on. */
    static byte[] syntheticJpeg(Random rnd, int longEdge) {
        int w = longEdge;
        int h = longEdge * (2 + rnd.nextInt(3)) / 4;
        try (Mat m = new Mat(h, w, CV_8UC3, new Scalar(10, 10, 20, 0));
             Point c = new Point(rnd.nextInt(w), rnd.nextInt(h));
             Scalar white = new Scalar(220, 230, 240, 0);
             Point a = new Point(rnd.nextInt(w / 2), rnd.nextInt(h / 2));
             Point b = new Point(w / 2 + rnd.nextInt(w / 2), h / 2 + rnd.nextInt(h / 2));
             Scalar grey = new Scalar(90 + rnd.nextInt(100), 90, 90, 0);
             BytePointer buf = new BytePointer(); IntPointer q = new IntPointer(IMWRITE_JPEG_QUALITY, 85)) {
            rectangle(m, a, b, grey, FILLED, 8, 0);
            circle(m, c, Math.max(4, w / 8), white, FILLED, 8, 0);
            imencode(".jpg", m, buf, q);
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }
}
