package dev.imagevision.report;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** How many connections the review server holds at once: what the process has room for, never a small fixed count. */
class ReviewLimitsTest {
    private static final int HEADERS = 64 * 1024;

    @Property
    void theConnectionsNeverNeedMoreFilesOrHeapThanTheProcessHasToSpare(
            @ForAll @LongRange(min = 0, max = 2_000_000) long fileLimit, @ForAll @LongRange(min = 0, max = 5_000) long filesOpen,
            @ForAll @LongRange(min = 16L << 20, max = 1L << 40) long heapBytes) {
        int n = ReviewServer.Limits.connections(new ReviewServer.Limits.Capacity(fileLimit, filesOpen, heapBytes), HEADERS);
        assertThat(n).isGreaterThanOrEqualTo(ReviewServer.Limits.MIN_CONNECTIONS);
        if (n > ReviewServer.Limits.MIN_CONNECTIONS) {
            // two descriptors a connection: one streaming an original holds the file as well as the socket
            if (fileLimit > 0) assertThat(2L * n + filesOpen + ReviewServer.Limits.SPARE_FILES).isLessThanOrEqualTo(fileLimit);
            assertThat(n * ReviewServer.Limits.worstBytesPerConnection(HEADERS)).isLessThanOrEqualTo(heapBytes / 4);
        }
    }

    @Property
    void moreRoomNeverMeansFewerConnections(@ForAll @LongRange(min = 1, max = 1_000_000) long fileLimit,
                                            @ForAll @LongRange(min = 0, max = 1_000) long filesOpen,
                                            @ForAll @LongRange(min = 16L << 20, max = 1L << 38) long heapBytes,
                                            @ForAll @LongRange(min = 0, max = 1_000_000) long moreFiles,
                                            @ForAll @LongRange(min = 0, max = 1L << 38) long moreHeap) {
        int n = ReviewServer.Limits.connections(new ReviewServer.Limits.Capacity(fileLimit, filesOpen, heapBytes), HEADERS);
        int more = ReviewServer.Limits.connections(
                new ReviewServer.Limits.Capacity(fileLimit + moreFiles, filesOpen, heapBytes + moreHeap), HEADERS);
        assertThat(more).isGreaterThanOrEqualTo(n);
    }

    @Property
    void anOrdinaryProcessHoldsFarMoreThanTheOld256(@ForAll @LongRange(min = 1L << 30, max = 64L << 30) long heapBytes) {
        // the JVM raises its descriptor limit to the hard one, 4,096 or far more on common systems; a heap of 1 GiB or more
        int n = ReviewServer.Limits.connections(new ReviewServer.Limits.Capacity(4096, 100, heapBytes), HEADERS);
        assertThat(n).isGreaterThan(900);
    }
}
