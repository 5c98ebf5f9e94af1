package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tollgate.ca.CaGenerator;
import dev.tollgate.ca.CertificateAuthority;
import dev.tollgate.ca.KeyKind;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import io.netty.util.NettyRuntime;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * CONNECT corners with interception on (issue 14 items 3, 4, 9, 10): server-speaks-first
 * protocols, a CONNECT to a closed port, and clients that do not trust the CA.
 */
class ConnectCornersIT {
    static CertificateAuthority ca;
    static Path caPem;

    @BeforeAll
    static void makeCa() throws Exception {
        ca = CaGenerator.generate("Tollgate Corners CA", KeyKind.EC256, 30);
        caPem = Files.createTempFile("tollgate-corners", ".pem");
        Files.writeString(caPem, ca.certificatePem());
    }

    @AfterAll
    static void removeCa() throws Exception {
        Files.deleteIfExists(caPem);
    }

    /** Says a banner on accept, like SMTP, then echoes each line back until the client half-closes. */
    static RawOrigin bannerOrigin() throws Exception {
        return new RawOrigin(s -> {
            RawOrigin.write(s, "220 smtp.test ESMTP ready\r\n");
            InputStream in = s.getInputStream();
            byte[] buf = new byte[1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                s.getOutputStream().write(buf, 0, n);
                s.getOutputStream().flush();
            }
        });
    }

    @Test
    void originThatSpeaksFirstIsRelayedBlindAndLoggedAsATunnel() throws Exception {
        try (RawOrigin origin = bannerOrigin();
                ProxyHarness proxy = ProxyHarness.startWithCa(Map.of(), ca);
                ProxySocket s = new ProxySocket(proxy.port())) {
            s.send("CONNECT 127.0.0.1:" + origin.port() + " HTTP/1.1\r\n\r\n");
            assertThat(s.readHead()).startsWith("HTTP/1.1 200");
            String banner = "220 smtp.test ESMTP ready\r\n";
            assertThat(s.readBytes(banner.length())).isEqualTo(banner); // the client never spoke first
            s.send("EHLO client.test\r\n");
            assertThat(s.readBytes("EHLO client.test\r\n".length())).isEqualTo("EHLO client.test\r\n");
            s.socket().shutdownOutput();
            assertThat(s.readToEnd()).isEmpty();
            FlowRecord f = proxy.nextFlow();
            assertThat(f.method()).isEqualTo("CONNECT");
            assertThat(f.mode()).isEqualTo(FlowMode.TUNNEL);
            assertThat(f.status()).isEqualTo(200);
            assertThat(f.bytesDown()).isEqualTo(banner.length() + "EHLO client.test\r\n".length());
            assertThat(f.bytesUp()).isEqualTo("EHLO client.test\r\n".length());
        }
    }

    @Test
    void clientSilentPastClientFirstByteIsRelayedBlindEvenIfItThenSpeaksHttp() throws Exception {
        try (RawOrigin origin = TunnelIT.echoThenBye();
                ProxyHarness proxy = ProxyHarness.startWithCa(Map.of("timeouts.clientFirstByte", "100ms"), ca);
                ProxySocket s = new ProxySocket(proxy.port())) {
            s.send("CONNECT 127.0.0.1:" + origin.port() + " HTTP/1.1\r\n\r\n");
            assertThat(s.readHead()).startsWith("HTTP/1.1 200");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (proxy.server().openTunnels() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(proxy.server().openTunnels())
                    .as("the silent tunnel became a blind relay")
                    .isEqualTo(1);
            // had the proxy still been waiting, this would be decoded and forwarded as a request
            String request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
            s.send(request);
            assertThat(s.readBytes(request.length())).isEqualTo(request);
            s.socket().shutdownOutput();
            assertThat(s.readToEnd()).isEqualTo("bye");
            assertThat(proxy.nextFlow().mode()).isEqualTo(FlowMode.TUNNEL);
        }
    }

    @Test
    void curlConnectToAClosedPortGetsA502OnTheConnectItself() throws Exception {
        int closed;
        try (ServerSocket ss = new ServerSocket(0)) {
            closed = ss.getLocalPort();
        }
        try (ProxyHarness proxy = ProxyHarness.startWithCa(Map.of(), ca)) {
            Curl.Result r = Curl.run(
                    Map.of("https_proxy", proxy.url()),
                    "--cacert",
                    caPem.toString(),
                    "https://127.0.0.1:" + closed + "/");
            assertThat(r.exit()).isNotZero();
            assertThat(r.stderr()).contains("CONNECT tunnel failed, response 502");
            FlowRecord f = proxy.nextFlow();
            assertThat(f.mode()).isEqualTo(FlowMode.INTERCEPT);
            assertThat(f.status()).isEqualTo(502);
            assertThat(f.error()).contains("connection refused");
        }
    }

    @Test
    void clientsThatDoNotTrustTheCaLeaveAFlowWithAdviceAndNoStackTrace() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        root.addAppender(warnings);
        try (InterceptFixture pki = new InterceptFixture();
                TlsOrigin origin = pki.origin(List.of("origin.test"), "o");
                ProxyHarness proxy = ProxyHarness.startWithCa(pki.proxySettings("origin.test=127.0.0.1"), ca)) {
            Curl.Result ownCert = Curl.run(
                    Map.of(),
                    "--proxy",
                    "https://127.0.0.1:" + proxy.port(),
                    "http://127.0.0.1:" + origin.port() + "/");
            assertThat(ownCert.exit()).isNotZero();
            FlowRecord proxyTls = proxy.nextFlow();
            assertThat(proxyTls.error()).contains("the proxy's own certificate").contains("install certs/ca.pem");

            Curl.Result forged =
                    Curl.run(Map.of("https_proxy", proxy.url()), "https://origin.test:" + origin.port() + "/");
            assertThat(forged.exit()).isNotZero();
            FlowRecord intercepted = proxy.nextFlow();
            assertThat(intercepted.mode()).isEqualTo(FlowMode.INTERCEPT);
            assertThat(intercepted.error()).contains("the forged certificate").contains("install certs/ca.pem");
        } finally {
            root.detachAppender(warnings);
        }
        assertThat(warnings.list)
                .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .noneMatch(e -> e.getFormattedMessage().contains("reached at the tail of the pipeline"))
                .noneMatch(e -> e.getThrowableProxy() != null);
    }

    @Test
    void homePageNamesTheAddressTheClientReachedAndCountsItsBytes() throws Exception {
        try (ProxyHarness proxy = ProxyHarness.start();
                ProxySocket s = new ProxySocket(proxy.port())) {
            String answer = s.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .readToEnd();
            assertThat(answer)
                    .startsWith("HTTP/1.1 200")
                    .contains("export http_proxy=http://127.0.0.1:" + proxy.port());
            FlowRecord f = proxy.nextFlow();
            assertThat(f.mode()).isEqualTo(FlowMode.LOCAL);
            int body = answer.substring(answer.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.UTF_8).length;
            assertThat(f.bytesDown()).isEqualTo(body);
        }
    }

    @Test
    void oneConnectPerRequestReusesPooledOriginConnectionsInsteadOfOpeningOneEach() throws Exception {
        AtomicInteger originConnections = new AtomicInteger();
        try (InterceptFixture pki = new InterceptFixture();
                RawTlsOrigin origin = new RawTlsOrigin(pki.originPki.server(List.of("origin.test")), s -> {
                    originConnections.incrementAndGet();
                    while (!RawOrigin.readHead(s.getInputStream()).isEmpty()) {
                        RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                    }
                });
                ProxyHarness proxy = ProxyHarness.startWithCa(pki.proxySettings("origin.test=127.0.0.1"), ca)) {
            SSLContext trusting = InterceptFixture.trusting(ca.certificate());
            int requests = 3 * NettyRuntime.availableProcessors() * 2; // three per event loop at least
            for (int i = 0; i < requests; i++) {
                try (ProxySocket s = new ProxySocket(proxy.port())) {
                    s.send("CONNECT origin.test:" + origin.port() + " HTTP/1.1\r\n\r\n");
                    assertThat(s.readHead()).startsWith("HTTP/1.1 200");
                    try (SSLSocket tls = (SSLSocket)
                            trusting.getSocketFactory().createSocket(s.socket(), "origin.test", origin.port(), true)) {
                        tls.getOutputStream()
                                .write("GET / HTTP/1.1\r\nHost: origin.test\r\n\r\n"
                                        .getBytes(StandardCharsets.US_ASCII));
                        assertThat(RawOrigin.readHead(tls.getInputStream())).startsWith("HTTP/1.1 200");
                        assertThat(new String(tls.getInputStream().readNBytes(2), StandardCharsets.US_ASCII))
                                .isEqualTo("ok");
                    }
                }
                proxy.nextFlow();
            }
            assertThat(originConnections.get())
                    .as("origin connections for %d CONNECTs", requests)
                    .isLessThan(requests);
        }
    }
}
