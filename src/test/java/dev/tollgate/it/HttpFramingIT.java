package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.FlowRecord;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP/1.1 framing through the proxy with raw sockets: pipelining, trailers, 100-continue, 101. */
class HttpFramingIT {
    static ProxyHarness proxy;
    static TestOrigin origin;

    @BeforeAll
    static void start() throws Exception {
        proxy = ProxyHarness.start(Map.of());
        origin = new TestOrigin();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (ProxySocket s = new ProxySocket(proxy.port())) {
            String host = "127.0.0.1:" + origin.port();
            s.send("GET " + origin.url("/slow/300") + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n"
                    + "GET " + origin.url("/bytes/5") + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n"
                    + "GET " + origin.url("/echo") + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            String all = s.readToEnd();
            int slow = all.indexOf("slow done");
            int five = all.indexOf("content-length: 5");
            assertThat(slow).isPositive();
            assertThat(all.toLowerCase().indexOf("content-length: 5")).isGreaterThan(slow);
            assertThat(all.split("HTTP/1.1 200", -1)).hasSize(4);
            assertThat(five).isNotZero();
        }
    }

    @Test
    void chunkedTrailersAreRelayed() throws Exception {
        try (RawOrigin raw = new RawOrigin(s -> {
                    RawOrigin.readHead(s.getInputStream());
                    RawOrigin.write(
                            s,
                            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"
                                    + "5\r\nhello\r\n0\r\nX-Checksum: abc123\r\n\r\n");
                    s.getInputStream().read();
                });
                ProxySocket s = new ProxySocket(proxy.port())) {
            s.send("GET http://127.0.0.1:" + raw.port() + "/t HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            String all = s.readToEnd();
            assertThat(all)
                    .contains("transfer-encoding: chunked")
                    .contains("5\r\nhello\r\n0\r\n")
                    .contains("X-Checksum: abc123");
        }
    }

    @Test
    void expectContinueGetsTheOriginsInterimAnswer() throws Exception {
        try (ProxySocket s = new ProxySocket(proxy.port())) {
            s.send("POST " + origin.url("/sha256") + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                    + "Expect: 100-continue\r\n\r\n");
            assertThat(s.readHead()).startsWith("HTTP/1.1 100");
            s.send("hello");
            String head = s.readHead();
            assertThat(head).startsWith("HTTP/1.1 200");
            assertThat(s.readBytes(66)).endsWith(" 5");
        }
    }

    @Test
    void webSocketUpgradeBecomesARelayAfter101() throws Exception {
        try (RawOrigin raw = new RawOrigin(s -> {
                    String head = RawOrigin.readHead(s.getInputStream());
                    if (!head.toLowerCase().contains("upgrade: websocket")
                            || !head.toLowerCase().contains("connection: upgrade")) {
                        RawOrigin.write(s, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
                        return;
                    }
                    RawOrigin.write(
                            s,
                            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
                    byte[] buf = new byte[4];
                    int n = s.getInputStream().readNBytes(buf, 0, 4);
                    s.getOutputStream()
                            .write(("echo:" + new String(buf, 0, n, StandardCharsets.US_ASCII))
                                    .getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                });
                ProxySocket s = new ProxySocket(proxy.port())) {
            s.send(
                    "GET http://127.0.0.1:" + raw.port() + "/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            assertThat(s.readHead()).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: websocket");
            s.send("ping");
            assertThat(s.readBytes(9)).isEqualTo("echo:ping");
            assertThat(s.readToEnd()).isEmpty(); // the origin closed; our side is still open (half-close)
        }
        FlowRecord f = proxy.awaitFlow(
                flow -> flow.url().endsWith("/ws"), "the upgraded exchange"); // ends once both sides close
        assertThat(f.status()).isEqualTo(101);
        assertThat(f.bytesUp()).isEqualTo(4);
        assertThat(f.bytesDown()).isEqualTo(9);
    }

    @Test
    void closeDelimitedResponseIsRechunkedAndTheClientConnectionKept() throws Exception {
        try (RawOrigin raw = new RawOrigin(s -> {
                    RawOrigin.readHead(s.getInputStream());
                    RawOrigin.write(s, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
                });
                ProxySocket s = new ProxySocket(proxy.port())) {
            s.send("GET http://127.0.0.1:" + raw.port() + "/c HTTP/1.1\r\nHost: x\r\n\r\n");
            String head = s.readHead();
            assertThat(head)
                    .containsIgnoringCase("transfer-encoding: chunked")
                    .doesNotContainIgnoringCase("connection: close");
            InputStream in = s.in();
            String body =
                    new String(in.readNBytes("d\r\nuntil the end\r\n0\r\n\r\n".length()), StandardCharsets.US_ASCII);
            assertThat(body).isEqualTo("d\r\nuntil the end\r\n0\r\n\r\n");
            // the same client connection serves another request
            s.send("GET " + origin.url("/bytes/3") + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(s.readToEnd()).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void hopByHopHeadersNeverReachTheOrigin() throws Exception {
        try (ProxySocket s = new ProxySocket(proxy.port())) {
            s.send("GET " + origin.url("/echo") + " HTTP/1.1\r\nHost: wrong.example\r\nConnection: close, X-Hop\r\n"
                    + "X-Hop: secret\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\n"
                    + "Proxy-Authorization: Basic dXNlcjpwYXNz\r\nTE: trailers\r\nX-End: kept\r\n\r\n");
            String all = s.readToEnd().toLowerCase();
            assertThat(all).contains("x-got-x-end: kept").contains("x-got-host: 127.0.0.1:" + origin.port());
            assertThat(all)
                    .doesNotContain("x-got-x-hop")
                    .doesNotContain("x-got-keep-alive")
                    .doesNotContain("x-got-proxy-connection")
                    .doesNotContain("x-got-proxy-authorization")
                    .doesNotContain("x-got-te")
                    .doesNotContain("x-got-connection");
        }
    }
}
