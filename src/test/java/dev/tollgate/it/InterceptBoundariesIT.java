package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where interception must refuse or stand aside: bad origin certificates give a 502 and
 * never a 200; noProxy and passthrough hosts show the origin's own certificate.
 */
class InterceptBoundariesIT {
    static InterceptFixture pki;
    static TlsOrigin expired;
    static TlsOrigin selfSigned;
    static TlsOrigin wrongName;
    static TlsOrigin unknownCa;
    static TlsOrigin good;
    static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        pki = new InterceptFixture();
        expired = new TlsOrigin(pki.originPki.expiredServer(List.of("expired.test")), "expired");
        selfSigned = new TlsOrigin(TestPki.selfSigned(List.of("self.test")), "self");
        wrongName = new TlsOrigin(pki.originPki.server(List.of("other.test")), "wrong");
        unknownCa = new TlsOrigin(new TestPki("Stranger CA").server(List.of("stranger.test")), "stranger");
        good = pki.origin(List.of("bypass.test", "pinned.test", "origin.test"), "good");
        Map<String, Object> settings = new HashMap<>(pki.proxySettings(
                "expired.test=127.0.0.1,self.test=127.0.0.1,wrong.test=127.0.0.1,stranger.test=127.0.0.1,"
                        + "bypass.test=127.0.0.1,pinned.test=127.0.0.1,origin.test=127.0.0.1"));
        settings.put("noProxy", "bypass.test");
        settings.put("passthrough", "pinned.test");
        proxy = ProxyHarness.startWithCa(settings, pki.tollgateCa);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        for (TlsOrigin o : List.of(expired, selfSigned, wrongName, unknownCa, good)) {
            o.close();
        }
        pki.close();
    }

    private static String url(String host, TlsOrigin o) {
        return "https://" + host + ":" + o.port() + "/";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"expired", "self", "wrong", "stranger"})
    void badOriginCertificateGives502WithTheReasonAndNever200(String which) throws Exception {
        TlsOrigin origin = switch (which) {
            case "expired" -> expired;
            case "self" -> selfSigned;
            case "wrong" -> wrongName;
            default -> unknownCa;
        };
        Curl.Result r = Curl.run(
                Map.of("https_proxy", proxy.url()),
                "--cacert",
                pki.tollgateCaPem.toString(),
                "-D",
                "-",
                url(which + ".test", origin));
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout())
                .startsWith("HTTP/1.1 200 Connection established")
                .contains("\nHTTP/1.1 502 ")
                .contains("TLS handshake with")
                .doesNotContain("hello from");
        FlowRecord f = proxy.awaitFlow(flow -> flow.url().equals(url(which + ".test", origin)), "the refused exchange");
        assertThat(f.status()).isEqualTo(502);
        assertThat(f.tls().verifyError()).isNotBlank();
    }

    @Test
    void noProxyAndPassthroughHostsShowTheOriginsOwnCertificate() throws Exception {
        for (String host : List.of("bypass.test", "pinned.test")) {
            // trusting ONLY the origin CA: this succeeds only if the proxy did not forge
            Curl.Result r = Curl.run(
                    Map.of("https_proxy", proxy.url()), "--cacert", pki.originCaPem.toString(), url(host, good));
            assertThat(r.exit()).as(host + ": " + r.stderr()).isZero();
            assertThat(r.stdout()).startsWith("hello from good");
        }
        List<FlowRecord> flows = proxy.awaitFlows(
                2, f -> f.url().contains("bypass.test") || f.url().contains("pinned.test"), "the two tunnels");
        assertThat(flows).extracting(FlowRecord::mode).containsExactlyInAnyOrder(FlowMode.BYPASS, FlowMode.TUNNEL);
        Curl.Result intercepted = Curl.run(
                Map.of("https_proxy", proxy.url()), "--cacert", pki.originCaPem.toString(), url("origin.test", good));
        assertThat(intercepted.exit())
                .as("an intercepted host must NOT validate against the origin CA")
                .isNotZero();
    }

    @Test
    void clientThatDoesNotTrustTheCaIsToldSoInTheFlow() throws Exception {
        Curl.Result r = Curl.run(
                Map.of("https_proxy", proxy.url()), "--cacert", pki.originCaPem.toString(), url("origin.test", good));
        assertThat(r.exit()).isNotZero();
        FlowRecord f = proxy.awaitFlow(
                flow -> "CONNECT".equals(flow.method()) && flow.url().startsWith("origin.test:"),
                "the refused handshake");
        assertThat(f.error()).contains("Tollgate CA");
    }

    @Test
    void opensslShowsTheForgedChain() throws Exception {
        Process p = new ProcessBuilder(
                        "openssl",
                        "s_client",
                        "-proxy",
                        "127.0.0.1:" + proxy.port(),
                        "-connect",
                        "origin.test:" + good.port(),
                        "-servername",
                        "origin.test",
                        "-showcerts")
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("Tollgate Test CA").contains("CN = origin.test");
    }

    @Test
    void webSocketInsideAnInterceptedConnection() throws Exception {
        try (RawTlsOrigin ws = new RawTlsOrigin(pki.originPki.server(List.of("origin.test")), s -> {
                    String head = RawOrigin.readHead(s.getInputStream());
                    if (!head.toLowerCase().contains("upgrade: websocket")) {
                        return;
                    }
                    RawOrigin.write(
                            s, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
                    byte[] four = s.getInputStream().readNBytes(4);
                    s.getOutputStream()
                            .write(("echo:" + new String(four, StandardCharsets.US_ASCII))
                                    .getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                });
                ProxySocket raw = new ProxySocket(proxy.port())) {
            raw.send("CONNECT origin.test:" + ws.port() + " HTTP/1.1\r\n\r\n");
            assertThat(raw.readHead()).startsWith("HTTP/1.1 200");
            SSLSocket tls = (SSLSocket) InterceptFixture.trusting(pki.tollgateCa.certificate())
                    .getSocketFactory()
                    .createSocket(raw.socket(), "origin.test", ws.port(), true);
            tls.startHandshake();
            tls.getOutputStream()
                    .write(("GET /ws HTTP/1.1\r\nHost: origin.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = tls.getInputStream();
            assertThat(RawOrigin.readHead(in)).startsWith("HTTP/1.1 101");
            tls.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(in.readNBytes(9), StandardCharsets.US_ASCII)).isEqualTo("echo:ping");
            tls.close();
        }
    }
}
