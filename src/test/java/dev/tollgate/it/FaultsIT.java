package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults on either side: the other side is told (a status, or a close), resources are freed
 * (open descriptors come back to where they were), and the next request works.
 */
class FaultsIT {
    static TestOrigin origin;
    static InterceptFixture pki;
    static ProxyHarness proxy;
    static int fdsAtStart;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        origin = new TestOrigin();
        pki = new InterceptFixture();
        Map<String, Object> settings = new HashMap<>(pki.proxySettings("origin.test=127.0.0.1"));
        settings.put("timeouts.idleUpstream", "1s"); // pooled connections must not count as leaks
        proxy = ProxyHarness.startWithCa(settings, pki.tollgateCa);
        client = proxy.client();
        healthy(); // warm everything that opens files once (JIT, jars, pools)
        fdsAtStart = OpenFiles.count();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            // idle upstream connections expire after 1 s
            OpenFiles.awaitAtMost(fdsAtStart + 4, Duration.ofSeconds(10), "after the fault suite");
            System.out.println("FaultsIT open descriptors: before " + fdsAtStart + ", after " + OpenFiles.count());
        } finally {
            proxy.close();
            origin.close();
            pki.close();
        }
    }

    static void healthy() throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create(origin.url("/bytes/3"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void originResetMidResponseCutsTheClientOff() throws Exception {
        try (RawOrigin resetter = new RawOrigin(s -> {
                    RawOrigin.readHead(s.getInputStream());
                    RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\npartial");
                    s.setSoLinger(true, 0); // close with RST
                });
                ProxySocket c = new ProxySocket(proxy.port())) {
            c.send("GET http://127.0.0.1:" + resetter.port() + "/ HTTP/1.1\r\nHost: x\r\n\r\n");
            String got = c.readToEnd();
            assertThat(got).startsWith("HTTP/1.1 200").endsWith("partial"); // truncated, then closed
            FlowRecord f =
                    proxy.awaitFlow(flow -> flow.url().contains(":" + resetter.port() + "/"), "the reset exchange");
            assertThat(f.error()).contains("in the middle of the response");
        }
        healthy();
    }

    @Test
    void clientDisconnectingMidDownloadFreesTheUpstream() throws Exception {
        String big = origin.url("/bytes/" + (200L << 20));
        try (ProxySocket c = new ProxySocket(proxy.port())) {
            c.send("GET " + big + " HTTP/1.1\r\nHost: x\r\n\r\n");
            c.in().readNBytes(1 << 20);
        }
        FlowRecord f = proxy.awaitFlow(flow -> flow.url().equals(big), "the abandoned download");
        assertThat(f.error()).contains("client");
        healthy();
    }

    @Test
    void clientDisconnectingMidUploadFreesTheUpstream() throws Exception {
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST " + origin.url("/sha256") + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1 << 20]);
            out.flush();
        }
        FlowRecord f = proxy.awaitFlow(flow -> flow.url().endsWith("/sha256"), "the abandoned upload");
        assertThat(f.error()).contains("client");
        healthy();
    }

    @Test
    void clientAbortingTheTlsHandshakeLeavesAFlowAndNothingOpen() throws Exception {
        int before = OpenFiles.count();
        try (ProxySocket c = new ProxySocket(proxy.port())) {
            c.send("CONNECT origin.test:" + origin.port() + " HTTP/1.1\r\n\r\n");
            assertThat(c.readHead()).startsWith("HTTP/1.1 200");
            c.socket()
                    .getOutputStream()
                    .write(new byte[] {0x16, 0x03, 0x01, 0x00}); // a ClientHello that never finishes
            c.socket().getOutputStream().flush();
        }
        FlowRecord f = proxy.awaitFlow(flow -> "CONNECT".equals(flow.method()), "the aborted CONNECT");
        assertThat(f.url()).isEqualTo("origin.test:" + origin.port());
        assertThat(f.mode()).isEqualTo(FlowMode.INTERCEPT);
        assertThat(f.error()).contains("before its TLS ClientHello was complete");
        OpenFiles.awaitAtMost(before, Duration.ofSeconds(5), "the aborted handshake's sockets closed");
        healthy();
    }

    @Test
    void probesThatConnectAndCloseWithoutAByteAreClosedToo() throws Exception {
        int before = OpenFiles.count();
        for (int i = 0; i < 20; i++) {
            new Socket("127.0.0.1", proxy.port()).close(); // a TCP health probe
        }
        OpenFiles.awaitAtMost(before + 2, Duration.ofSeconds(5), "no CLOSE-WAIT sockets left behind");
        healthy();
    }

    @Test
    void originClosingKeptAliveConnectionsIsRetriedTransparently() throws Exception {
        // The origin answers keep-alive, then drops each connection unanswered when the next
        // request arrives on it (its keep-alive timeout fired just then): the pooled connection
        // is dead when the next request takes it, and that request must still work.
        AtomicInteger droppedOnReuse = new AtomicInteger();
        try (RawOrigin closer = new RawOrigin(s -> {
            RawOrigin.readHead(s.getInputStream());
            RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            if (s.getInputStream().read() >= 0) {
                droppedOnReuse.incrementAndGet();
            }
        })) {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closer.port() + "/"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.body()).isEqualTo("ok");
            }
            assertThat(droppedOnReuse)
                    .as("requests that found their pooled connection dead, and were retried")
                    .hasValue(4);
        }
    }
}
