package dev.imagevision.judgements;

import dev.imagevision.ledger.Budget;
import dev.imagevision.ledger.CallEntry;
import dev.imagevision.ledger.SentCall;
import dev.imagevision.vision.OutgoingCall;
import dev.imagevision.vision.PaidCall;
import dev.imagevision.vision.Usage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A run's spending journaled where its caller says (one task attempt of a distributed run). */
class SpendingJournalTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-07-06T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void requestsRepliesAndErrorRepliesReachTheJournalWithTheRunsIdAndTheCallersRequestIds() throws Exception {
        List<Object> events = new ArrayList<>();
        Spending.CallJournal journal = new Spending.CallJournal() {
            @Override
            public void sent(SentCall call) {
                events.add(call);
            }

            @Override
            public void paid(CallEntry call, String requestId) {
                events.add(List.of(call, requestId));
            }

            @Override
            public void unbilled(String requestId) {
                events.add("unbilled " + requestId);
            }

            @Override
            public void unconfirmed(String requestId, String why) {
                events.add("unconfirmed " + requestId);
            }

            @Override
            public void close() {
                events.add("closed");
            }
        };
        Spending s = Spending.journaledTo(journal, Budget.of(0, 200), "anthropic", "run-1", "run-1-task7", CLOCK,
                new PrintStream(new ByteArrayOutputStream()));
        String first = s.sending(new OutgoingCall("/images/a.jpg", "claude-sonnet-4-6", 4000, 1024, false));
        s.paid(new PaidCall("/images/a.jpg", "claude-sonnet-4-6", "msg_1", new Usage(1500, 120, 0, 0, 0.0063), false, first));
        String second = s.sending(new OutgoingCall("/images/b.jpg", "claude-sonnet-4-6", 4000, 1024, false));
        s.unbilled(second);
        s.close();

        assertThat(first).isEqualTo("run-1-task7-1");
        assertThat(second).isEqualTo("run-1-task7-2");
        assertThat(events).hasSize(5);
        assertThat(((SentCall) events.get(0)).runId()).isEqualTo("run-1");
        @SuppressWarnings("unchecked") List<Object> paid = (List<Object>) events.get(1);
        assertThat(((CallEntry) paid.get(0)).callId()).isEqualTo("msg_1");
        assertThat(((CallEntry) paid.get(0)).runId()).isEqualTo("run-1");
        assertThat(paid.get(1)).isEqualTo(first);
        assertThat(events.get(3)).isEqualTo("unbilled run-1-task7-2");
        assertThat(events.get(4)).isEqualTo("closed");
        assertThat(s.paidCalls()).isEqualTo(1);
        assertThat(s.spent()).isPositive();
    }

    @Test
    void aFreeProvidersSpendingRefusesAPaidRequest() {
        Spending s = Spending.journaledTo(null, Budget.of(0, 200), "local", "run-1", "run-1-t", CLOCK,
                new PrintStream(new ByteArrayOutputStream()));
        assertThatThrownBy(() -> s.sending(new OutgoingCall("/a.jpg", "m", 1, 1, false)))
                .isInstanceOf(IllegalStateException.class);
    }
}
