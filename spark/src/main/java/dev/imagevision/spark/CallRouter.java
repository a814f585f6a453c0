package dev.imagevision.spark;

import dev.imagevision.vision.CallRecorder;
import dev.imagevision.vision.OutgoingCall;
import dev.imagevision.vision.PaidCall;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recorder of an executor's one provider: its client and rate limiter serve every task the
 * executor runs, while each task attempt journals its own calls. A task claims its images before it
 * judges them, and each call is journaled by the attempt that claimed its image (the request's
 * error reply by the attempt that sent it). A call for an image no attempt claimed is refused before
 * it is sent: nothing leaves unjournaled.
 */
final class CallRouter implements CallRecorder {
    private final Map<String, CallRecorder> byImage = new ConcurrentHashMap<>();
    private final Map<String, CallRecorder> byRequest = new ConcurrentHashMap<>();

    void claim(String imagePath, CallRecorder attempt) {
        byImage.put(imagePath, attempt);
    }

    void release(String imagePath, CallRecorder attempt) {
        byImage.remove(imagePath, attempt);
    }

    private CallRecorder of(String imagePath) throws IOException {
        CallRecorder r = byImage.get(imagePath);
        if (r == null) throw new IOException("no task of this executor claimed " + imagePath + "; its call is not sent");
        return r;
    }

    @Override
    public String sending(OutgoingCall call) throws IOException {
        CallRecorder r = of(call.imagePath());
        String id = r.sending(call);
        if (id != null) byRequest.put(id, r);
        return id;
    }

    @Override
    public void paid(PaidCall call) throws IOException {
        CallRecorder r = call.requestId() == null ? null : byRequest.remove(call.requestId());
        (r != null ? r : of(call.imagePath())).paid(call);
    }

    @Override
    public void unbilled(String requestId) throws IOException {
        CallRecorder r = byRequest.remove(requestId);
        if (r == null) throw new IOException("an error reply to a request no task sent: " + requestId);
        r.unbilled(requestId);
    }
}
