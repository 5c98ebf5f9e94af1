package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.tollgate.flow.FlowLogSink;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import dev.tollgate.flow.RecordingSink;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Flows as events through a real proxy: seen while they run, and never held up by the log. */
class FlowEventsIT {

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aSlowDownloadIsStartedThenUpdatedWithItsStatusThenEndedWithItsBytes() throws Exception {
        RecordingSink viewer = new RecordingSink(true);
        int size = 8 * 1024 * 1024;
        try (TestOrigin origin = new TestOrigin();
                ProxyHarness proxy = ProxyHarness.startWithSinks(Map.of(), List.of(viewer));
                ProxySocket client = new ProxySocket(proxy.port())) {
            client.send(
                    "GET " + origin.url("/stream/" + size) + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer S\r\n\r\n");
            String head = client.readHead();
            assertThat(head).startsWith("HTTP/1.1 200");
            // the client reads nothing more: backpressure keeps the exchange open mid-body
            await(() -> viewer.events.size() >= 2, "started and updated");
            assertThat(viewer.events).hasSize(2);
            assertThat(viewer.events.get(0)).isEqualTo("started 0 0");
            assertThat(viewer.events.get(1)).startsWith("updated 200 ");
            FlowRecord running = viewer.records.get(1);
            assertThat(running.ended()).isFalse();
            assertThat(running.mode()).isEqualTo(FlowMode.FORWARD);
            assertThat(running.requestHeaders().get("authorization")).isEqualTo("REDACTED");
            assertThat(running.responseHeaders().get("transfer-encoding")).isEqualTo("chunked");
            assertThat(running.clientVersion()).isEqualTo("HTTP/1.1");
            assertThat(running.timings().connect()).isNotNegative();
            assertThat(running.timings().firstByte()).isNotNegative();

            InputStream in = client.in();
            byte[] buf = new byte[64 * 1024];
            await(
                    () -> {
                        try {
                            return in.read(buf) < 0 || viewer.events.size() == 3;
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    "the end of the flow");
        }
        assertThat(viewer.events).hasSize(3);
        FlowRecord ended = viewer.records.get(2);
        assertThat(ended.ended()).isTrue();
        assertThat(ended.status()).isEqualTo(200);
        assertThat(ended.bytesDown()).isEqualTo(size);
        assertThat(ended.id()).isEqualTo(viewer.records.get(0).id());
    }

    /** An output that takes no lines at all until opened. */
    private static final class StuckOutput extends AppenderBase<ILoggingEvent> {
        final CountDownLatch open = new CountDownLatch(1);

        @Override
        protected void append(ILoggingEvent e) {
            try {
                open.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void requestsStillCompleteWhileTheFlowLogOutputIsStuck() throws Exception {
        Logger flows = (Logger) LoggerFactory.getLogger(FlowLogSink.LOGGER);
        StuckOutput stuck = new StuckOutput();
        stuck.start();
        flows.addAppender(stuck);
        int requests = 100;
        FlowLogSink smallLog = new FlowLogSink(16, Duration.ZERO); // 100 flows cannot all wait in it
        try (TestOrigin origin = new TestOrigin();
                ProxyHarness proxy = ProxyHarness.startWithSinks(Map.of(), List.of(smallLog))) {
            var client = proxy.client();
            HttpRequest get = HttpRequest.newBuilder(URI.create(origin.url("/status/204")))
                    .build();
            for (int i = 0; i < requests; i++) {
                assertThat(client.send(get, HttpResponse.BodyHandlers.discarding())
                                .statusCode())
                        .isEqualTo(204);
            }
            assertThat(smallLog.dropped()).isGreaterThanOrEqualTo(requests - 16 - 1);
            stuck.open.countDown(); // before the proxy stops: its log writers are still waiting on it
        } finally {
            stuck.open.countDown();
            smallLog.close();
            flows.detachAppender(stuck);
        }
    }
}
