package dev.imagevision.vision.anthropic;

import dev.imagevision.vision.CallRecorder;
import dev.imagevision.vision.OutgoingCall;
import dev.imagevision.vision.PaidCall;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** What a provider told its recorder: the requests it sent and how each ended. */
public final class RecordingRecorder implements CallRecorder {
    /** A call charged its ceiling: a request id, or a batch result's key with its ceiling. */
    public record Unconfirmed(String requestId, OutgoingCall call, String why) {}

    private final AtomicInteger next = new AtomicInteger();
    public final Map<String, OutgoingCall> sent = new ConcurrentHashMap<>();
    /** Requests with no answer recorded yet. */
    public final Set<String> open = ConcurrentHashMap.newKeySet();
    public final List<PaidCall> paid = Collections.synchronizedList(new ArrayList<>());
    public final List<String> unbilled = Collections.synchronizedList(new ArrayList<>());
    public final List<Unconfirmed> unconfirmed = Collections.synchronizedList(new ArrayList<>());

    @Override
    public String sending(OutgoingCall call) {
        String id = "req-" + next.incrementAndGet();
        sent.put(id, call);
        open.add(id);
        return id;
    }

    @Override
    public void paid(PaidCall call) {
        paid.add(call);
        if (call.requestId() != null) open.remove(call.requestId());
    }

    @Override
    public void unbilled(String requestId) {
        unbilled.add(requestId);
        open.remove(requestId);
    }

    @Override
    public void unconfirmed(String requestId, String why) {
        unconfirmed.add(new Unconfirmed(requestId, sent.get(requestId), why));
        open.remove(requestId);
    }

    @Override
    public void unconfirmed(OutgoingCall call, String callKey, String why) {
        unconfirmed.add(new Unconfirmed(callKey, call, why));
    }
}
