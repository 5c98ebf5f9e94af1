package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Auto-passthrough with real handshakes: a pinned client (it trusts only the origin's CA, never
 * Tollgate's) rejects the forged leaf three times, then the fourth connection is tunnelled blind
 * and gets the origin's own certificate; a client that merely leaves mid-handshake never counts.
 */
class AutoPassthroughIT {
    private static final int FAILURES = 3;

    private final Logger logger = (Logger) LoggerFactory.getLogger("tollgate.auto-passthrough");
    private final ListAppender<ILoggingEvent> seen = new ListAppender<>();
    private InterceptFixture pki;
    private TlsOrigin origin;
    private AdminHarness harness;

    @BeforeEach
    void start() throws Exception {
        seen.start();
        logger.addAppender(seen);
        pki = new InterceptFixture();
        origin = pki.origin(List.of("pinned.test"), "pinned");
        harness = new AdminHarness(
                Map.of(
                        "upstreamTrust",
                        pki.originCaPem.toString(),
                        "hosts",
                        "pinned.test=127.0.0.1",
                        "interception.autoPassthrough.enabled",
                        "true",
                        "interception.autoPassthrough.failures",
                        String.valueOf(FAILURES)),
                pki.tollgateCa,
                pki.dir);
    }

    @AfterEach
    void stop() throws Exception {
        logger.detachAppender(seen);
        harness.close();
        origin.close();
        pki.close();
    }

    /** CONNECT, then a TLS handshake by a client that trusts only {@code ca}; its server certificate. */
    private X509Certificate handshake(X509Certificate ca) throws Exception {
        try (ProxySocket s = new ProxySocket(harness.proxy.port())) {
            s.send("CONNECT pinned.test:" + origin.port() + " HTTP/1.1\r\nHost: pinned.test:" + origin.port()
                    + "\r\n\r\n");
            assertThat(s.readHead()).startsWith("HTTP/1.1 200");
            SSLSocket tls = (SSLSocket) InterceptFixture.trusting(ca)
                    .getSocketFactory()
                    .createSocket(s.socket(), "pinned.test", origin.port(), true);
            tls.startHandshake();
            X509Certificate leaf = (X509Certificate) tls.getSession().getPeerCertificates()[0];
            tls.close();
            return leaf;
        }
    }

    private List<FlowRecord> rejections(int count) throws InterruptedException {
        return harness.proxy.awaitFlows(
                count,
                f -> f.error() != null && f.error().contains("rejected the forged certificate"),
                count + " rejections of the forged leaf");
    }

    @Test
    void aPinnedHostIsTunnelledBlindAfterEnoughRejectionsAndTheTableSaysSo() throws Exception {
        X509Certificate originCa = pki.originPki.caCertificate();
        for (int i = 1; i < FAILURES; i++) {
            assertThatThrownBy(() -> handshake(originCa)).isInstanceOf(SSLHandshakeException.class);
        }
        rejections(FAILURES - 1);
        assertThat(harness.proxy.server().autoPassthrough().covers("pinned.test"))
                .isFalse();

        assertThatThrownBy(() -> handshake(originCa)).isInstanceOf(SSLHandshakeException.class);
        rejections(1);

        X509Certificate real = handshake(originCa);
        assertThat(real.getIssuerX500Principal()).isEqualTo(originCa.getSubjectX500Principal());
        FlowRecord blind = harness.proxy.awaitFlow(f -> f.mode() == FlowMode.AUTO_BYPASS, "the blind tunnel");
        assertThat(blind.url()).isEqualTo("pinned.test:" + origin.port());

        assertThat(seen.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line)
                        .contains("pinned.test is tunnelled blind", FAILURES + " times within", "127.0.0.1:"));
        assertThat(harness.get("/metrics").body())
                .contains("tollgate_auto_passthrough_total 1.0", "tollgate_auto_passthrough_hosts 1.0");
        String listed = harness.get("/api/auto-passthrough").body();
        assertThat(listed).contains("\"enabled\":true", "\"host\":\"pinned.test\"", "\"expires\":");
    }

    @Test
    void clientsThatMerelyLeaveMidHandshakeDoNotCount() throws Exception {
        for (int i = 0; i < FAILURES + 1; i++) {
            // half leave before the forged leaf's handshake starts, half once the proxy answered
            // (the flow must end at once, not at the handshake timeout: HandshakeWatch)
            leaveAfterClientHello(i % 2 == 1);
        }
        harness.proxy.awaitFlows(
                FAILURES + 1,
                f -> f.error() != null && f.error().contains("closed the connection"),
                "the clients that left");

        assertThat(harness.proxy.server().autoPassthrough().hosts()).isEmpty();
        X509Certificate forged = handshake(pki.tollgateCa.certificate());
        assertThat(forged.getIssuerX500Principal())
                .isEqualTo(pki.tollgateCa.certificate().getSubjectX500Principal());
        assertThat(harness.get("/api/auto-passthrough").body()).contains("\"hosts\":[]");
    }

    /**
     * Sends a real ClientHello after the CONNECT, then closes (at once, or after the first byte
     * of the proxy's answer): a client that gave up, not one that rejected.
     */
    private void leaveAfterClientHello(boolean readFirst) throws Exception {
        try (ProxySocket s = new ProxySocket(harness.proxy.port())) {
            s.send("CONNECT pinned.test:" + origin.port() + " HTTP/1.1\r\nHost: pinned.test:" + origin.port()
                    + "\r\n\r\n");
            assertThat(s.readHead()).startsWith("HTTP/1.1 200");
            SSLEngine engine = SSLContext.getDefault().createSSLEngine("pinned.test", origin.port());
            engine.setUseClientMode(true);
            ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(ByteBuffer.allocate(0), hello);
            s.socket().getOutputStream().write(hello.array(), 0, hello.position());
            s.socket().getOutputStream().flush();
            if (readFirst) {
                assertThat(s.socket().getInputStream().read())
                        .as("the proxy's ServerHello")
                        .isEqualTo(0x16);
            }
        }
    }
}
