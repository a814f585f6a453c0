package dev.imagevision.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.cli.Main;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The child side of {@link ReadOnlySiteTest}: inside the read-only mount, first proves each site
 * really refuses a write (as the kernel does for a read-only mount, root included), then runs each
 * command (arguments separated by {@code ::}) in this one JVM and prints one JSON line per command
 * with its exit code, stdout and stderr.
 */
final class ReadOnlyRun {
    private ReadOnlyRun() {}

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        int sep = rest.indexOf("--");
        for (String site : rest.subList(0, sep)) {
            ObjectNode probe = json.createObjectNode().put("probe", site);
            try {
                Files.delete(Files.createFile(Path.of(site, "probe.txt")));
                probe.put("refused", false);
            } catch (FileSystemException e) {
                probe.put("refused", true).put("reason", String.valueOf(e.getReason()));
            }
            System.out.println(json.writeValueAsString(probe));
        }
        List<String> command = new ArrayList<>();
        for (String a : rest.subList(sep + 1, rest.size())) {
            if (a.equals("::")) {
                run(json, command);
                command.clear();
            } else {
                command.add(a);
            }
        }
        if (!command.isEmpty()) run(json, command);
        System.exit(0);
    }

    private static void run(ObjectMapper json, List<String> args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(InputStream.nullInputStream(), new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        ObjectNode line = json.createObjectNode();
        line.putPOJO("args", args);
        line.put("code", code).put("out", out.toString()).put("err", err.toString());
        System.out.println(json.writeValueAsString(line));
    }
}
