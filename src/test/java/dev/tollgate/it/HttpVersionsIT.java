package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.Headers;
import dev.tollgate.flow.FlowRecord;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP versions and HTTP/2 attempts on the proxy port: only HTTP/1.0 and 1.1 are relayed, an
 * h2c upgrade offer never reaches the origin, and the HTTP/2 preface gets a clear answer.
 */
class HttpVersionsIT {
    /** A SETTINGS frame with no settings, as a client sends it right after the preface. */
    private static final byte[] EMPTY_SETTINGS = HexFormat.of().parseHex("000000040000000000");

    static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = ProxyHarness.start(Map.of());
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static String send(String text) throws Exception {
        try (ProxySocket s = new ProxySocket(proxy.port())) {
            return s.send(text).readToEnd();
        }
    }

    /** The next logged flow that matches, skipping those of earlier tests; fails after 5 s without one. */
    private static FlowRecord flowWhere(Predicate<FlowRecord> wanted) throws InterruptedException {
        while (true) {
            FlowRecord f = proxy.nextFlow();
            if (wanted.test(f)) {
                return f;
            }
        }
    }

    /** A request through the proxy that must arrive: once it has, anything sent before it would have too. */
    private static void sendMarker(TestOrigin origin) throws Exception {
        HttpRequest marker =
                HttpRequest.newBuilder(URI.create(origin.url("/echo?marker"))).build();
        HttpResponse<String> r = proxy.client().send(marker, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/9.9", "HTTP/2.0", "HTTP/1.2"})
    void unknownVersionsAre505AndNeverForwarded(String version) throws Exception {
        try (TestOrigin origin = new TestOrigin()) {
            String answer = send("GET " + origin.url("/versioned") + " " + version + "\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(answer)
                    .startsWith("HTTP/1.1 505")
                    .containsIgnoringCase("connection: close")
                    .contains(version);
            FlowRecord refused = flowWhere(f -> f.url() != null && f.url().endsWith("/versioned"));
            assertThat(refused.status()).isEqualTo(505);
            assertThat(refused.error()).contains(version);
            sendMarker(origin);
            assertThat(origin.requestLines).containsExactly("GET /echo?marker");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.0", "HTTP/1.1"})
    void http10And11AreRelayed(String version) throws Exception {
        try (TestOrigin origin = new TestOrigin()) {
            String answer = send("GET " + origin.url("/status/204") + " " + version + "\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 204");
            assertThat(origin.requestLines).containsExactly("GET /status/204");
        }
    }

    @Test
    void anH2cUpgradeOfferNeverReachesTheOrigin() throws Exception {
        try (TestOrigin origin = new TestOrigin()) {
            String answer = send("GET " + origin.url("/echo") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: Upgrade, HTTP2-Settings, close\r\nUpgrade: h2c\r\n"
                    + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\nX-Kept: yes\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 200");
            Headers seen = origin.requestHeaders.get(0);
            assertThat(seen.get("X-Kept")).containsExactly("yes");
            assertThat(seen.containsKey("Upgrade")).isFalse();
            assertThat(seen.containsKey("Http2-settings")).isFalse();
            assertThat(String.valueOf(seen.get("Connection")))
                    .doesNotContainIgnoringCase("upgrade")
                    .doesNotContainIgnoringCase("http2-settings");
        }
    }

    @Test
    void theHttp2PrefaceGetsA505SayingThisPortSpeaksHttp11() throws Exception {
        try (ProxySocket s = new ProxySocket(proxy.port())) {
            s.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
            s.socket().getOutputStream().write(EMPTY_SETTINGS);
            String answer = s.readToEnd(); // the proxy closes: a hang would fail on the socket's 10 s timeout
            assertThat(answer)
                    .startsWith("HTTP/1.1 505")
                    .containsIgnoringCase("connection: close")
                    .contains("speaks HTTP/1.1");
            FlowRecord preface = flowWhere(f -> "PRI".equals(f.method()));
            assertThat(preface.status()).isEqualTo(505);
            assertThat(preface.error()).contains("prior knowledge");
        }
    }

    @Test
    void curlWithHttp2PriorKnowledgeFailsFastInsteadOfHanging() throws Exception {
        assumeTrue(Curl.run(Map.of(), "--version").stdout().contains("HTTP2"), "this curl is built without HTTP/2");
        long start = System.nanoTime();
        Curl.Result r = Curl.run(
                Map.of(),
                "--http2-prior-knowledge",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "http://127.0.0.1:" + proxy.port() + "/");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.exit()).as("curl: %s", r.stderr()).isNotZero().isNotEqualTo(28); // 28: curl's own timeout
        assertThat(millis).isLessThan(10_000);
    }
}
