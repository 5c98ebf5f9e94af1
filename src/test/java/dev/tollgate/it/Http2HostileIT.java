package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.FlowRecord;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile HTTP/2 against the intercepting proxy, with raw frames: each attack is cut off with
 * GOAWAY and a flow naming why, within a bounded amount of input, while a normal h2 client on
 * another connection keeps being served. Also: stream resets relayed with their error codes.
 */
class Http2HostileIT {
    private static final int CONTINUATION = 0x9;
    private static final int HEADERS = 0x1;
    private static final long ENHANCE_YOUR_CALM = 0xb;

    static InterceptFixture pki;
    static H2Origin origin;
    static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        pki = new InterceptFixture();
        origin = new H2Origin(pki.originPki.server(List.of("h2.test")), true);
        Map<String, Object> settings = new HashMap<>(pki.proxySettings("h2.test=127.0.0.1"));
        settings.put("http2.maxResets", "100");
        settings.put("timeouts.idleClient", "3s");
        settings.put("http2.maxQueuedControlFrames", "1000");
        proxy = ProxyHarness.startWithCa(settings, pki.tollgateCa);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        origin.close();
        pki.close();
    }

    RawH2Client raw() throws Exception {
        return new RawH2Client(proxy.port(), "h2.test", origin.port(), pki.tollgateCa.certificate());
    }

    void normalClientStillServed() throws Exception {
        HttpResponse<String> r = Http2IT.client(proxy, pki, HttpClient.Version.HTTP_2)
                .send(
                        HttpRequest.newBuilder(URI.create("https://h2.test:" + origin.port() + "/fine"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
    }

    @Test
    void rapidResetIsCutOffWithGoAwayAfterTheResetLimit() throws Exception {
        int before = origin.requests.get();
        long started = System.nanoTime();
        try (RawH2Client c = raw()) {
            int stream = 1;
            try {
                for (int batch = 0; batch < 100; batch++) {
                    for (int i = 0; i < 100; i++, stream += 2) {
                        c.headers(stream, "/size/10", false).reset(stream, 0x8);
                    }
                    c.flush();
                }
            } catch (IOException closedByTheProxy) {
                // expected: the proxy closes after its GOAWAY while we are still writing
            }
            RawH2Client.Frame goAway = c.await(RawH2Client.Frame.GOAWAY, 0);
            assertThat(goAway).as("GOAWAY").isNotNull();
            assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(stream).as("streams the client managed to open").isLessThan(20_001);
        }
        assertThat(System.nanoTime() - started).isLessThan(20_000_000_000L);
        // at most the resets allowed (100) got as far as the origin
        assertThat(origin.requests.get() - before).isLessThanOrEqualTo(110);
        proxy.awaitFlow(
                f -> f.error() != null
                        && f.error().contains("GOAWAY ENHANCE_YOUR_CALM")
                        && f.error().contains("RST frames"),
                "the rapid reset's GOAWAY flow");
        normalClientStillServed();
    }

    @Test
    void continuationFloodIsCutOffWithGoAway() throws Exception {
        try (RawH2Client c = raw()) {
            // a literal header "x" whose value never ends, spread over CONTINUATION frames without END_HEADERS
            byte[] first = {0x00, 0x01, 'x', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
            c.frame(HEADERS, 0x0, 1, first);
            byte[] filler =
                    new byte[16384]; // the largest frame allowed: Netty counts frames under 8 KiB as "small" apart
            Arrays.fill(filler, (byte) 'a');
            try {
                for (int i = 0; i < 1024; i++) { // 16 MiB at most
                    c.frame(CONTINUATION, 0x0, 1, filler);
                    if (i % 4 == 0) {
                        c.flush();
                    }
                }
                c.flush();
            } catch (IOException closedByTheProxy) {
                // expected
            }
            RawH2Client.Frame goAway = c.await(RawH2Client.Frame.GOAWAY, 0);
            assertThat(goAway).as("GOAWAY").isNotNull();
        }
        // cut off by the header list limit (64 KiB, the connection closed past 1.25 times it): what
        // the client managed to write meanwhile only measures the sockets' buffers
        FlowRecord cut = proxy.awaitFlow(
                f -> f.error() != null
                        && f.error().contains("GOAWAY")
                        && f.error().contains("81920"),
                "the header-list GOAWAY flow");
        assertThat(cut.error()).containsIgnoringCase("header");
        normalClientStillServed();
    }

    @Test
    void tinyContinuationFramesAreCutOff() throws Exception {
        try (RawH2Client c = raw()) {
            c.frame(HEADERS, 0x0, 1, new byte[] {0x00, 0x01, 'x', 0x05});
            try {
                for (int i = 0; i < 10_000; i++) {
                    c.frame(CONTINUATION, 0x0, 1, new byte[] {'a'});
                }
                c.flush();
            } catch (IOException closedByTheProxy) {
                // expected
            }
            assertThat(c.await(RawH2Client.Frame.GOAWAY, 0)).as("GOAWAY").isNotNull();
        }
        normalClientStillServed();
    }

    @Test
    void originResetReachesTheClientWithItsErrorCode() throws Exception {
        try (RawH2Client c = raw()) {
            c.headers(1, "/reset/13", true).flush();
            RawH2Client.Frame rst = c.await(RawH2Client.Frame.RST_STREAM, 1);
            assertThat(rst).as("RST_STREAM").isNotNull();
            assertThat(rst.errorCode()).isEqualTo(0xd); // HTTP_1_1_REQUIRED, as the origin sent it
        }
    }

    @Test
    void clientResetReachesTheOriginWithItsErrorCode() throws Exception {
        try (RawH2Client c = raw()) {
            c.headers(1, "/hang-reset", true).flush();
            // the request reached the origin once its flow shows the upstream; then reset it
            long deadline = System.nanoTime() + 10_000_000_000L;
            int seen = origin.requests.get();
            c.headers(3, "/marker", true).flush();
            while (origin.requests.get() < seen + 2 && System.nanoTime() < deadline) {
                Thread.sleep(20); // polling for the origin to have both requests
            }
            c.reset(1, 0x2).flush(); // INTERNAL_ERROR
            while (!origin.resetsByPath.containsKey("/hang-reset") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        // other tests' streams may be cancelled on the shared origin meanwhile: look at this one's
        assertThat(origin.resetsByPath).containsEntry("/hang-reset", 0x2L);
        FlowRecord hang = proxy.awaitFlow(f -> f.url() != null && f.url().endsWith("/hang-reset"), "the reset request");
        assertThat(hang.error()).contains("INTERNAL_ERROR");
    }

    @Test
    void aStreamStalledOnAZeroWindowIsResetAfterTheIdleTimeout() throws Exception {
        long started = System.nanoTime();
        try (RawH2Client c = new RawH2Client(
                proxy.port(),
                "h2.test",
                origin.port(),
                pki.tollgateCa.certificate(),
                new Http2Settings().initialWindowSize(0),
                0)) {
            c.headers(1, "/size/1000000", true).flush();
            RawH2Client.Frame f;
            do {
                f = c.next();
            } while (f != null && f.type() != RawH2Client.Frame.RST_STREAM && f.type() != RawH2Client.Frame.GOAWAY);
            assertThat(f).as("RST_STREAM or GOAWAY").isNotNull();
        }
        assertThat(System.nanoTime() - started).isBetween(2_000_000_000L, 10_000_000_000L);
        proxy.awaitFlow(r -> r.error() != null && r.error().contains("idle timeout"), "the stalled stream");
    }

    @Test
    void pingFloodFromAClientThatDoesNotReadIsCutOff() throws Exception {
        long started = System.nanoTime();
        try (RawH2Client c = new RawH2Client(
                proxy.port(), "h2.test", origin.port(), pki.tollgateCa.certificate(), new Http2Settings(), 16 * 1024)) {
            byte[] ping = new byte[8];
            try {
                // never reading the PING ACKs: past the small socket buffers they queue in the proxy
                // bounded in count and time; the proof of the cut is the GOAWAY flow below, not a duration
                for (int i = 0; i < 1_000_000 && System.nanoTime() - started < 60_000_000_000L; i++) {
                    c.frame(0x6, 0x0, 0, ping);
                    if (i % 1000 == 0) {
                        c.flush();
                    }
                }
                c.flush();
            } catch (IOException closedByTheProxy) {
                // expected: the proxy gave up on us
            }
        }
        proxy.awaitFlow(
                f -> f.error() != null
                        && f.error().contains("GOAWAY ENHANCE_YOUR_CALM")
                        && f.error().contains("control frames"),
                "the PING flood's GOAWAY flow");
        normalClientStillServed();
    }

    @Test
    void streamsPastTheConcurrencyLimitAreRefused() throws Exception {
        try (RawH2Client c = raw()) {
            for (int i = 0; i < 101; i++) {
                c.headers(1 + 2 * i, "/hang", true);
            }
            c.flush();
            RawH2Client.Frame refused = c.await(RawH2Client.Frame.RST_STREAM, 201);
            assertThat(refused).as("RST_STREAM on stream 201").isNotNull();
            assertThat(refused.errorCode()).isEqualTo(0x7); // REFUSED_STREAM: safe for the client to retry
        }
    }

    @Test
    void emptyDataFramesWithoutEndAreCutOff() throws Exception {
        try (RawH2Client c = raw()) {
            c.headers(1, "/hang", false);
            try {
                for (int i = 0; i < 1000; i++) {
                    c.frame(0x0, 0x0, 1, new byte[0]); // DATA, empty, no END_STREAM
                }
                c.flush();
            } catch (IOException closedByTheProxy) {
                // expected
            }
            RawH2Client.Frame goAway = c.await(RawH2Client.Frame.GOAWAY, 0);
            assertThat(goAway).as("GOAWAY").isNotNull();
            assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void anOversizedHeaderListRefusesTheStreamAndKeepsTheConnection() throws Exception {
        try (RawH2Client c = raw()) {
            c.headers(1, "/x", true, "x-big", "a".repeat(70 * 1024)).flush(); // past 64 KiB, below the GOAWAY line
            RawH2Client.Frame answer;
            do {
                answer = c.next();
            } while (answer != null && answer.stream() != 1);
            assertThat(answer).as("an answer on stream 1").isNotNull();
            assertThat(answer.type())
                    .as("431 HEADERS or RST_STREAM, not GOAWAY")
                    .isIn(0x1, RawH2Client.Frame.RST_STREAM);
            c.headers(3, "/size/5", true).flush(); // the connection still serves
            assertThat(c.await(0x0, 3)).as("DATA on stream 3").isNotNull();
        }
    }
}
