package dev.tollgate.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowsTest {

    @Test
    void aFlowIsStartedThenUpdatedThenEndedOnEverySinkThatWantsProgress() {
        RecordingSink viewer = new RecordingSink(true);
        RecordingSink log = new RecordingSink(false);
        Flow f = new Flows(List.of(viewer, log))
                .open("127.0.0.1:5000")
                .request("GET", "http://a.test/")
                .mode(FlowMode.FORWARD);
        f.started();
        f.response(200, List.of(Map.entry("Content-Type", "text/plain")));
        f.addBytesDown(42);
        f.end();
        assertThat(viewer.events).containsExactly("started 0 0", "updated 200 0", "ended 200 42");
        assertThat(log.events).containsExactly("ended 200 42");
        FlowRecord running = viewer.records.get(0);
        FlowRecord ended = viewer.records.get(2);
        assertThat(running.ended()).isFalse();
        assertThat(running.durationMillis()).isEqualTo(-1);
        assertThat(ended.ended()).isTrue();
        assertThat(ended.timings().total())
                .isGreaterThanOrEqualTo(ended.timings().firstByte())
                .isNotNegative();
        assertThat(ended.responseHeaders().get("content-type")).isEqualTo("text/plain");
        assertThat(ended.mode()).isEqualTo(FlowMode.FORWARD);
    }

    @Test
    void endIsDeliveredOnceAndNothingAfterIt() {
        RecordingSink sink = new RecordingSink(true);
        Flow f = new Flows(List.of(sink)).open("c");
        f.end();
        f.end();
        f.started();
        f.response(204, List.of());
        assertThat(sink.events).containsExactly("ended 0 0");
    }

    @Test
    void snapshotsAreImmutableCopiesOfTheRecorder() {
        RecordingSink sink = new RecordingSink(true);
        Flow f = new Flows(List.of(sink)).open("c");
        f.started();
        f.addBytesUp(10);
        f.end();
        assertThat(sink.records.get(0).bytesUp()).isZero();
        assertThat(sink.records.get(1).bytesUp()).isEqualTo(10);
    }

    @Test
    void headersAreCopiedRedactedAndOnlyWhenASinkShowsThem() {
        List<Map.Entry<String, String>> head = List.of(
                Map.entry("Authorization", "Bearer S1"),
                Map.entry("cookie", "s=S2"),
                Map.entry("Proxy-Authorization", "Basic S3"),
                Map.entry("Accept", "*/*"));
        RecordingSink viewer = new RecordingSink(true);
        Flow shown = new Flows(List.of(viewer)).open("c").requestHeaders(head);
        shown.response(200, List.of(Map.entry("Set-Cookie", "id=S4")));
        shown.end();
        FlowRecord r = viewer.records.get(0);
        assertThat(r.requestHeaders().lines())
                .extracting(Map.Entry::getValue)
                .containsExactly("REDACTED", "REDACTED", "REDACTED", "*/*");
        assertThat(r.responseHeaders().get("set-cookie")).isEqualTo("REDACTED");

        RecordingSink logOnly = new RecordingSink(false);
        Flow unseen = new Flows(List.of(logOnly)).open("c").requestHeaders(head);
        unseen.end();
        assertThat(logOnly.records.get(0).requestHeaders().lines()).isEmpty();
    }

    @Test
    void aFailingSinkLosesOnlyItsOwnEvent() {
        RecordingSink after = new RecordingSink(false);
        FlowSink broken = f -> {
            throw new IllegalStateException("boom");
        };
        new Flows(List.of(broken, after)).open("c").status(502).end();
        assertThat(after.events).containsExactly("ended 502 0");
    }

    @Test
    void idsIncreaseInOpeningOrder() {
        Flows flows = new Flows(List.of());
        assertThat(flows.open("a").id()).isLessThan(flows.open("b").id());
    }

    @Test
    void bodyCaptureKeepsTheHeadAndCountsTheWhole() {
        RecordingSink sink = new RecordingSink(true);
        Flow f = new Flows(List.of(sink)).open("c");
        assertThat(f.capturing()).isFalse();
        f.captureBodies(4);
        f.captureDown(ByteBuffer.wrap("hello ".getBytes(StandardCharsets.US_ASCII)));
        f.captureDown(ByteBuffer.wrap("world".getBytes(StandardCharsets.US_ASCII)));
        f.end();
        CapturedBody body = sink.records.get(0).responseBody();
        assertThat(new String(body.head(), StandardCharsets.US_ASCII)).isEqualTo("hell");
        assertThat(body.size()).isEqualTo(11);
        assertThat(body.truncated()).isTrue();
        assertThat(sink.records.get(0).requestBody().size()).isZero();
    }

    @Test
    void modesSpeakTheRoutersWords() {
        for (FlowMode m : FlowMode.values()) {
            assertThat(FlowMode.ofWord(m.word())).isEqualTo(m);
        }
        assertThat(FlowMode.BYPASS.toString()).isEqualTo("bypass");
    }
}
