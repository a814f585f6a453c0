package dev.imagevision.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak resident memory of this process, from Linux's /proc (VmHWM); null elsewhere. */
public final class PeakRss {
    private PeakRss() {}

    public static Long bytes() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public static Long parse(java.util.List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("VmHWM:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                return Long.parseLong(parts[0]) * 1024L;
            }
        }
        return null;
    }
}
