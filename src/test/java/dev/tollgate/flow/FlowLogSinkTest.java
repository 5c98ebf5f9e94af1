package dev.tollgate.flow;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FlowLogSinkTest {
    private final Logger flows = (Logger) LoggerFactory.getLogger(FlowLogSink.LOGGER);
    private final Gate gate = new Gate();

    /** Stands for a log output that stops taking lines (a full pipe, a stuck disk) until opened. */
    private static final class Gate extends AppenderBase<ILoggingEvent> {
        final CountDownLatch open = new CountDownLatch(1);
        final CountDownLatch firstArrived = new CountDownLatch(1);
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent e) {
            firstArrived.countDown();
            try {
                open.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            lines.add(e.getFormattedMessage() + " " + e.getKeyValuePairs());
        }
    }

    @BeforeEach
    void attach() {
        gate.start();
        flows.addAppender(gate);
    }

    @AfterEach
    void detach() {
        gate.open.countDown();
        flows.detachAppender(gate);
    }

    private static FlowRecord record(Flows flows, int i) {
        Flow f = flows.open("127.0.0.1:" + i)
                .request("GET", "http://a.test/" + i)
                .mode(FlowMode.FORWARD)
                .status(200);
        f.end();
        return f.snapshot();
    }

    @Test
    void aStalledOutputMakesTheSinkDropAndCountNeverWait() throws Exception {
        FlowLogSink sink = new FlowLogSink(2, Duration.ZERO);
        Flows source = new Flows(List.of());
        sink.ended(record(source, 0));
        assertThat(gate.firstArrived.await(5, TimeUnit.SECONDS)).isTrue(); // the writer is stuck in the output now
        // the gate stays shut until after this loop: a sink that waited for room would never return
        for (int i = 1; i <= 50; i++) {
            sink.ended(record(source, i));
        }
        assertThat(sink.dropped()).isEqualTo(48); // two waited in the queue, the rest had no room
        gate.open.countDown();
        sink.close();
        assertThat(gate.lines).hasSize(3);
        assertThat(gate.lines.get(0))
                .startsWith("127.0.0.1:0 GET http://a.test/0 forward - 200")
                .contains("mode=\"forward\"");
    }

    @Test
    void closeWritesWhatIsQueuedAndCountsLaterFlowsAsDropped() throws Exception {
        FlowLogSink sink = new FlowLogSink(100, Duration.ofHours(1)); // lingers an hour after its first batch
        Flows source = new Flows(List.of());
        gate.open.countDown();
        for (int i = 0; i < 20; i++) {
            sink.ended(record(source, i));
        }
        sink.close();
        assertThat(gate.lines).hasSize(20);
        assertThat(gate.lines).extracting(l -> l.substring(0, l.indexOf(' '))).startsWith("127.0.0.1:0", "127.0.0.1:1");
        sink.ended(record(source, 99));
        assertThat(sink.dropped()).isEqualTo(1);
    }

    @Test
    void badSettingsAreRefused() {
        Assertions.assertThatThrownBy(() -> new FlowLogSink(0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity");
    }

    @Test
    void everyRecordNamesTheInstanceThatWroteIt() throws Exception {
        gate.open.countDown();
        FlowLogSink sink = new FlowLogSink(10, Duration.ZERO, "egress-vm-1");
        sink.ended(record(new Flows(List.of()), 1));
        sink.close();

        assertThat(gate.lines).singleElement().asString().contains("instance=\"egress-vm-1\"", "mode=\"forward\"");
    }
}
