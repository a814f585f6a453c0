package dev.imagevision.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens files as the file system does, but writes fail part way the way the kernel fails them,
 * so a test can put a write under a file size limit or on a full disk without {@code ulimit} or a
 * small mount:
 * <ul>
 *   <li>{@link #sizeLimit}: {@code ulimit -f} (EFBIG). A write that would reach past the limit
 *       writes up to it and then fails; one that starts at or past it writes nothing. The limit is
 *       on offsets, so even bytes rewritten inside a file already longer than it fail;</li>
 *   <li>{@link #spaceLeft}: a full disk (ENOSPC) on a file system that rewrites blocks in place:
 *       bytes written past a file's end use up the space, rewriting existing bytes is free, and
 *       shortening a file gives its space back;</li>
 *   <li>{@link #failAfter}: an I/O error after so many bytes of any write, in place or not (the
 *       case nothing can be put back from).</li>
 * </ul>
 */
final class FailingDisk implements LedgerStore.Opener {
    private enum Kind { SIZE_LIMIT, SPACE, ANY_WRITE }

    private final Kind kind;
    private long budget;

    private FailingDisk(Kind kind, long budget) {
        this.kind = kind;
        this.budget = budget;
    }

    static FailingDisk sizeLimit(long bytes) {
        return new FailingDisk(Kind.SIZE_LIMIT, bytes);
    }

    static FailingDisk spaceLeft(long bytes) {
        return new FailingDisk(Kind.SPACE, bytes);
    }

    static FailingDisk failAfter(long bytes) {
        return new FailingDisk(Kind.ANY_WRITE, bytes);
    }

    @Override
    public FileChannel open(Path file, OpenOption... options) throws IOException {
        return new Limited(FileChannel.open(file, options));
    }

    /** How many of {@code wanted} bytes at {@code at} get written before the failure (then it fails). */
    private synchronized int allowed(FileChannel ch, long at, int wanted) throws IOException {
        long ok = switch (kind) {
            case SIZE_LIMIT -> Math.max(0, Math.min(wanted, budget - at));
            case SPACE -> Math.min(wanted, Math.max(0, ch.size() - at) + budget);
            case ANY_WRITE -> Math.min(wanted, budget);
        };
        if (kind == Kind.SPACE) budget -= Math.max(0, at + ok - Math.max(at, ch.size()));
        if (kind == Kind.ANY_WRITE) budget -= ok;
        return (int) ok;
    }

    private static IOException failure(Kind kind) {
        return new IOException(switch (kind) {
            case SIZE_LIMIT -> "File too large";
            case SPACE -> "No space left on device";
            case ANY_WRITE -> "Input/output error";
        });
    }

    /** A real channel whose writes are cut as the disk says. */
    private final class Limited extends FileChannel {
        private final FileChannel ch;

        Limited(FileChannel ch) {
            this.ch = ch;
        }

        private int cut(ByteBuffer src, long at, boolean positional) throws IOException {
            int wanted = src.remaining();
            if (wanted == 0) return 0;
            int ok = allowed(ch, at, wanted);
            if (ok == 0) throw failure(kind);
            ByteBuffer part = src.slice(src.position(), ok);
            int n = positional ? ch.write(part, at) : ch.write(part);
            src.position(src.position() + n);
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return cut(src, ch.position(), false);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return cut(src, position, true);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                if (!srcs[i].hasRemaining()) continue;
                int w = write(srcs[i]);
                n += w;
                if (srcs[i].hasRemaining()) break;
            }
            return n;
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            if (kind == Kind.SPACE && size < ch.size()) {
                synchronized (FailingDisk.this) {
                    budget += ch.size() - size;
                }
            }
            ch.truncate(size);
            return this;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return ch.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return ch.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return ch.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return ch.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            ch.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return ch.size();
        }

        @Override
        public void force(boolean metaData) throws IOException {
            ch.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw new UnsupportedOperationException("not used by the ledger");
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException("not used by the ledger");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException("not used by the ledger");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException("not used by the ledger");
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException("not used by the ledger");
        }

        @Override
        protected void implCloseChannel() throws IOException {
            ch.close();
        }
    }
}
