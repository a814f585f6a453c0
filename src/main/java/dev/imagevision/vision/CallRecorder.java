package dev.imagevision.vision;

import java.io.IOException;

/**
 * Where a paid provider reports its requests: each one before it leaves, with the most it can cost,
 * and each billed reply the moment it arrives, before its content is used. A run killed at any
 * instant has therefore recorded every call that may have been billed: a request with no reply on
 * record is charged its ceiling.
 */
@FunctionalInterface
public interface CallRecorder {
    CallRecorder NONE = call -> {};

    /**
     * A request is about to be sent. Durable when it returns; an I/O failure means it must not be sent,
     * and so does {@link OverCostLimit}: its ceiling does not fit under the run's hard cost limit.
     *
     * @return the id the request carries (the {@code x-imagevision-request-id} header), or null when
     *         this recorder keeps no record of requests
     */
    default String sending(OutgoingCall call) throws IOException {
        return null;
    }

    /** Durable when it returns; an I/O failure means the reply must not be used. */
    void paid(PaidCall call) throws IOException;

    /** The API answered the request with an error status, which it does not bill. */
    default void unbilled(String requestId) throws IOException {}

    /**
     * The request was sent and may have been billed, but no usage that can be trusted came back: the
     * connection broke, the attempt timed out, or a 200 reply could not be read or claimed usage the
     * request cannot have had. It stays charged at its ceiling, as unconfirmed.
     */
    default void unconfirmed(String requestId, String why) throws IOException {}

    /**
     * Like {@link #unconfirmed(String, String)} for a billed result no request was recorded for (a
     * batch result): charged the ceiling of {@code call} under {@code callKey}, which stays the same
     * if the same result is collected again.
     */
    default void unconfirmed(OutgoingCall call, String callKey, String why) throws IOException {}
}
