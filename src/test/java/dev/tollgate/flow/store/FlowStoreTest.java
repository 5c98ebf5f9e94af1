package dev.tollgate.flow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import dev.tollgate.flow.Flows;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FlowStoreTest {
    @Test
    void keepsTheNewestWithinTheCountAndPagesBack() {
        FlowStore store = new FlowStore(3, Long.MAX_VALUE);
        Flows flows = new Flows(List.of(store));
        for (int i = 1; i <= 5; i++) {
            flows.open("c")
                    .request("GET", "http://h/" + i)
                    .mode(FlowMode.FORWARD)
                    .end();
        }
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.evicted()).isEqualTo(2);
        assertThat(store.newest(FlowQuery.ALL, 10, 0))
                .extracting(FlowRecord::id)
                .containsExactly(5L, 4L, 3L);
        assertThat(store.newest(FlowQuery.ALL, 10, 5))
                .extracting(FlowRecord::id)
                .containsExactly(4L, 3L);
        assertThat(store.newest(FlowQuery.ALL, 1, 0)).extracting(FlowRecord::id).containsExactly(5L);
        assertThat(store.get(1)).isNull();
    }

    @Test
    void aRunningFlowIsReplacedByItsNewerSnapshotsAndChargedOnce() {
        FlowStore store = new FlowStore(100, Long.MAX_VALUE);
        Flows flows = new Flows(List.of(store));
        Flow f = flows.open("c").request("GET", "http://h/").mode(FlowMode.FORWARD);
        f.started();
        FlowRecord running = store.get(f.id());
        assertThat(running.ended()).isFalse();
        long whileRunning = store.bytes();
        f.response(200, List.of(Map.entry("content-type", "text/plain")));
        f.end();
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.get(f.id()).ended()).isTrue();
        assertThat(store.bytes()).isEqualTo(FlowStore.weight(store.get(f.id())));
        assertThat(store.bytes()).isGreaterThan(whileRunning); // the response head is charged too
    }

    @Test
    void withoutAViewerOnlyEndedFlowsAreStoredWithTheirHeadsAndRunningOnesFromTheMomentOneWatches() {
        AtomicBoolean watching = new AtomicBoolean();
        FlowStore store = new FlowStore(100, Long.MAX_VALUE, watching::get);
        Flows flows = new Flows(List.of(store));
        Flow quiet = flows.open("c").request("GET", "http://h/quiet").mode(FlowMode.FORWARD);
        quiet.requestHeaders(List.of(Map.entry("Accept", "text/plain")));
        quiet.started();
        assertThat(store.get(quiet.id())).isNull(); // no running snapshot was made
        quiet.response(200, List.of(Map.entry("Content-Type", "text/plain")));
        assertThat(store.get(quiet.id())).isNull();
        quiet.end();
        FlowRecord ended = store.get(quiet.id());
        assertThat(ended.ended()).isTrue();
        assertThat(ended.requestHeaders().get("accept")).isEqualTo("text/plain");
        assertThat(ended.responseHeaders().get("content-type")).isEqualTo("text/plain");

        watching.set(true);
        Flow watched = flows.open("c").request("GET", "http://h/watched").mode(FlowMode.FORWARD);
        watched.started();
        assertThat(store.get(watched.id()).ended()).isFalse();
        watched.response(204, List.of());
        assertThat(store.get(watched.id()).status()).isEqualTo(204);
    }

    @Test
    void theByteBoundEvictsOldestFirstAndNeverHoldsMore() {
        FlowStore store = new FlowStore(1000, 20_000);
        Flows flows = new Flows(List.of(store));
        for (int i = 0; i < 200; i++) {
            Flow f = flows.open("c").request("POST", "http://h/" + i).mode(FlowMode.FORWARD);
            f.captureBodies(1000);
            f.captureUp(ByteBuffer.wrap(new byte[1000]));
            f.end();
            assertThat(store.bytes()).isLessThanOrEqualTo(20_000);
        }
        assertThat(store.size()).isBetween(5, 20);
        assertThat(store.get(200)).isNotNull();
    }
}
