package dev.imagevision.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The paid-call journal: one JSON line per call, appended and forced to disk before the call's
 * result is used. It is the one file not written through {@code AtomicFiles}: an append of a
 * whole line plus fsync is the crash-safe step here, and a line torn by a kill mid-append is the
 * last one and is skipped when read. The ledger JSON is rebuilt from it atomically.
 */
final class Journal implements AutoCloseable {
    static final ObjectMapper LINES = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final Path file;
    private FileChannel channel;

    Journal(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    synchronized void append(CallEntry entry) throws IOException {
        if (channel == null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        byte[] line = (LINES.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) channel.write(buf);
        channel.force(false);
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    /** Every complete entry in the journal (none when it does not exist); a torn or unreadable line is skipped. */
    static List<CallEntry> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<CallEntry> out = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) continue;
            try {
                CallEntry e = LINES.readValue(line, CallEntry.class);
                if (e != null && e.callId() != null) out.add(e);
            } catch (IOException torn) {
                // a kill mid-append leaves half a line; the call it described never had its result used
            }
        }
        return out;
    }
}
