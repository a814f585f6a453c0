package dev.imagevision.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which call ids the ledger may hold, as a Bloom filter in a file beside the journal: "no" is
 * certain, "maybe" is checked against the ledger itself. It answers whether a row about to be
 * appended is already there (a journal folded again after a kill, a batch result collected twice)
 * without reading the ledger's history, and is read and updated a few words at a time, so its
 * memory stays constant however long the ledger grows.
 *
 * <p>32 bits per id and 22 probes: about one "maybe" in five million for an id that is not there.
 * An id is added before its row is written, so a crash can leave an extra id (a needless check),
 * never a missing one (a duplicate row).
 */
final class CallIdFilter implements AutoCloseable {
    static final int BITS_PER_ID = 32;
    static final int PROBES = 22;
    private static final int MAGIC = 0x49564c42; // "IVLB"
    private static final int HEADER = 4 + 4 + 8 + 8 + 8; // magic, probes, capacity, bits, count

    private final FileChannel channel;
    private final long capacity;
    private final long bits;
    private long count;
    /** Since {@link #mark}: each changed word as it was, and the count, so a write that failed can be taken back. */
    private final java.util.Map<Long, Long> changed = new java.util.HashMap<>();
    private long countAtMark = -1;

    private CallIdFilter(FileChannel channel, long capacity, long bits, long count) {
        this.channel = channel;
        this.capacity = capacity;
        this.bits = bits;
        this.count = count;
    }

    /** The filter in {@code file}, or null when it is missing or not one of ours (it is then rebuilt). */
    static CallIdFilter open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return null;
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            ByteBuffer h = ByteBuffer.allocate(HEADER);
            while (h.hasRemaining() && ch.read(h, h.position()) > 0) { /* header */ }
            h.flip();
            if (h.remaining() < HEADER || h.getInt() != MAGIC || h.getInt() != PROBES) {
                ch.close();
                return null;
            }
            long capacity = h.getLong(), bits = h.getLong(), count = h.getLong();
            if (bits <= 0 || bits % 64 != 0 || ch.size() != HEADER + bits / 8 || count < 0) {
                ch.close();
                return null;
            }
            return new CallIdFilter(ch, capacity, bits, count);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    long capacity() {
        return capacity;
    }

    long count() {
        return count;
    }

    boolean mightContain(String id) throws IOException {
        long[] h = hash(id);
        for (int i = 0; i < PROBES; i++) {
            long bit = Math.floorMod(h[0] + i * h[1], bits);
            if ((word(bit / 64) & (1L << (bit % 64))) == 0) return false;
        }
        return true;
    }

    void add(String id) throws IOException {
        long[] h = hash(id);
        for (int i = 0; i < PROBES; i++) {
            long bit = Math.floorMod(h[0] + i * h[1], bits);
            long w = word(bit / 64);
            long set = w | (1L << (bit % 64));
            if (set == w) continue;
            if (countAtMark >= 0) changed.putIfAbsent(bit / 64, w);
            writeWord(bit / 64, set);
        }
        count++;
        ByteBuffer c = ByteBuffer.allocate(8).putLong(0, count);
        channel.write(c, HEADER - 8);
    }

    /** Remembers the filter as it is now, for {@link #rollback}. */
    void mark() {
        changed.clear();
        countAtMark = count;
    }

    /** Puts back what {@link #add} changed since {@link #mark}: the rows those ids stood for were never written. */
    void rollback() throws IOException {
        if (countAtMark < 0) return;
        for (var e : changed.entrySet()) writeWord(e.getKey(), e.getValue());
        count = countAtMark;
        channel.write(ByteBuffer.allocate(8).putLong(0, count), HEADER - 8);
        channel.force(false);
        changed.clear();
        countAtMark = -1;
    }

    /** Durable when it returns: ids are added before the rows they stand for are written. */
    void force() throws IOException {
        channel.force(false);
    }

    private long word(long index) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8);
        long at = HEADER + index * 8;
        while (b.hasRemaining()) {
            if (channel.read(b, at + b.position()) < 0) throw new IOException("the call id filter is cut short");
        }
        return b.getLong(0);
    }

    private void writeWord(long index, long value) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).putLong(0, value);
        long at = HEADER + index * 8;
        while (b.hasRemaining()) channel.write(b, at + b.position());
    }

    /** Two independent 64-bit hashes of the id (from SHA-256; the second odd so the probes differ). */
    static long[] hash(String id) {
        byte[] d;
        try {
            d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        ByteBuffer b = ByteBuffer.wrap(d);
        return new long[] {b.getLong(), b.getLong() | 1};
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** A new filter, built in memory (its bits only: 4 bytes per id of capacity) and written whole. */
    static final class Builder {
        private final long capacity;
        private final long[] words;
        private long count;

        Builder(long capacity) {
            this.capacity = Math.max(1024, capacity);
            long bits = (this.capacity * BITS_PER_ID + 63) / 64 * 64;
            this.words = new long[Math.toIntExact(bits / 64)];
        }

        void add(String id) {
            long[] h = hash(id);
            long bits = words.length * 64L;
            for (int i = 0; i < PROBES; i++) {
                long bit = Math.floorMod(h[0] + i * h[1], bits);
                words[(int) (bit / 64)] |= 1L << (bit % 64);
            }
            count++;
        }

        /** Writes the filter to a temporary file and renames it over {@code file}. */
        void writeTo(Path file) throws IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".new");
            try {
                write(tmp);
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }

        private void write(Path tmp) throws IOException {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer h = ByteBuffer.allocate(HEADER).putInt(MAGIC).putInt(PROBES).putLong(capacity)
                        .putLong(words.length * 64L).putLong(count).flip();
                while (h.hasRemaining()) ch.write(h);
                ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
                for (long w : words) {
                    if (!chunk.hasRemaining()) {
                        chunk.flip();
                        while (chunk.hasRemaining()) ch.write(chunk);
                        chunk.clear();
                    }
                    chunk.putLong(w);
                }
                chunk.flip();
                while (chunk.hasRemaining()) ch.write(chunk);
                ch.force(true);
            }
        }
    }
}
