package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** CONNECT as a blind relay: 200, bytes both ways, half-close passed on, one flow per tunnel. */
class TunnelIT {

    /** Echoes what it reads; on the client's half-close, says "bye" and closes. */
    static RawOrigin echoThenBye() throws Exception {
        return new RawOrigin(s -> {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                s.getOutputStream().write(buf, 0, n);
                s.getOutputStream().flush();
            }
            s.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
        });
    }

    @Test
    void connectRelaysBytesAndHalfClose() throws Exception {
        try (RawOrigin origin = echoThenBye();
                ProxyHarness proxy = ProxyHarness.start(Map.of("intercept", "false"));
                ProxySocket s = new ProxySocket(proxy.port())) {
            s.send("CONNECT 127.0.0.1:" + origin.port() + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n");
            assertThat(s.readHead()).isEqualTo("HTTP/1.1 200 Connection established\r\n\r\n");
            s.send("hello");
            assertThat(s.readBytes(5)).isEqualTo("hello");
            s.socket().shutdownOutput();
            assertThat(s.readToEnd()).isEqualTo("bye");
            FlowRecord f = proxy.nextFlow();
            assertThat(f.method()).isEqualTo("CONNECT");
            assertThat(f.url()).isEqualTo("127.0.0.1:" + origin.port());
            assertThat(f.mode()).isEqualTo(FlowMode.TUNNEL);
            assertThat(f.status()).isEqualTo(200);
            assertThat(f.bytesUp()).isEqualTo(5);
            assertThat(f.bytesDown()).isEqualTo(8);
        }
    }

    /**
     * The other order: the origin ends its side first (the proxy passes the FIN on to the client),
     * and the client's bytes after that still reach the origin before the tunnel closes.
     */
    @Test
    void originHalfCloseFirstLetsTheClientFinishSending() throws Exception {
        CompletableFuture<String> originRead = new CompletableFuture<>();
        try (RawOrigin origin = new RawOrigin(s -> {
                    s.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    s.shutdownOutput();
                    originRead.complete(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
                });
                ProxyHarness proxy = ProxyHarness.start(Map.of("intercept", "false"));
                ProxySocket s = new ProxySocket(proxy.port())) {
            s.send("CONNECT 127.0.0.1:" + origin.port() + " HTTP/1.1\r\n\r\n");
            assertThat(s.readHead()).startsWith("HTTP/1.1 200");
            assertThat(s.readToEnd()).isEqualTo("hi");
            s.send("after");
            s.socket().shutdownOutput();
            assertThat(originRead.get(10, TimeUnit.SECONDS)).isEqualTo("after");
            FlowRecord f = proxy.nextFlow();
            assertThat(f.bytesUp()).isEqualTo(5);
            assertThat(f.bytesDown()).isEqualTo(2);
        }
    }

    @Test
    void bytesSentRightBehindTheConnectAreNotLost() throws Exception {
        try (RawOrigin origin = echoThenBye();
                ProxyHarness proxy = ProxyHarness.start(Map.of("intercept", "false"));
                ProxySocket s = new ProxySocket(proxy.port())) {
            // bytes the HTTP decoder would take for a request of their own, had it kept them
            String early = "PING\r\n\r\n";
            s.send("CONNECT 127.0.0.1:" + origin.port() + " HTTP/1.1\r\n\r\n" + early);
            assertThat(s.readHead()).startsWith("HTTP/1.1 200");
            assertThat(s.readBytes(early.length())).isEqualTo(early);
        }
    }

    @Test
    void noProxyTargetIsABypassTunnel() throws Exception {
        try (RawOrigin origin = echoThenBye();
                ProxyHarness proxy =
                        ProxyHarness.start(Map.of("noProxy", "bypass.test", "hosts", "bypass.test=127.0.0.1"));
                ProxySocket s = new ProxySocket(proxy.port())) {
            s.send("CONNECT bypass.test:" + origin.port() + " HTTP/1.1\r\n\r\n");
            assertThat(s.readHead()).startsWith("HTTP/1.1 200");
            s.send("x");
            assertThat(s.readBytes(1)).isEqualTo("x");
            s.socket().shutdownOutput();
            s.readToEnd();
            FlowRecord f = proxy.nextFlow();
            assertThat(f.mode()).isEqualTo(FlowMode.BYPASS);
            assertThat(f.upstream()).isEqualTo("127.0.0.1:" + origin.port());
        }
    }

    /**
     * One idle timer per tunnel still sees both directions: a tunnel that keeps talking outlives
     * the timeout, one that stays silent is closed (both ends) once it passed.
     */
    @Test
    void aSilentTunnelIsClosedAfterTheIdleTimeoutWhileATalkingOneLives() throws Exception {
        try (RawOrigin origin = echoThenBye();
                ProxyHarness proxy = ProxyHarness.start(Map.of("intercept", "false", "timeouts.idleTunnel", "1s"));
                ProxySocket talking = new ProxySocket(proxy.port());
                ProxySocket silent = new ProxySocket(proxy.port())) {
            String connect = "CONNECT 127.0.0.1:" + origin.port() + " HTTP/1.1\r\n\r\n";
            assertThat(talking.send(connect).readHead()).startsWith("HTTP/1.1 200");
            long opened = System.nanoTime();
            assertThat(silent.send(connect).readHead()).startsWith("HTTP/1.1 200");
            silent.socket().setSoTimeout(50);
            boolean silentClosed = false;
            // bounded: the idle timeout is 1 s, the socket timeout of each probe 50 ms
            for (int i = 0; i < 400 && !silentClosed; i++) {
                talking.send("t");
                assertThat(talking.readBytes(1)).isEqualTo("t");
                try {
                    silentClosed = silent.in().read() < 0;
                } catch (SocketTimeoutException stillOpen) {
                    // not closed yet
                }
            }
            assertThat(silentClosed).as("the silent tunnel was closed").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            talking.send("still here");
            assertThat(talking.readBytes(10)).isEqualTo("still here");
            FlowRecord closed = proxy.nextFlow();
            assertThat(closed.bytesUp()).isZero();
        }
    }

    @Test
    void connectToAClosedPortIs502() throws Exception {
        int closed;
        try (ServerSocket ss = new ServerSocket(0)) {
            closed = ss.getLocalPort();
        }
        try (ProxyHarness proxy = ProxyHarness.start(Map.of("intercept", "false"));
                ProxySocket s = new ProxySocket(proxy.port())) {
            String answer =
                    s.send("CONNECT 127.0.0.1:" + closed + " HTTP/1.1\r\n\r\n").readToEnd();
            assertThat(answer).startsWith("HTTP/1.1 502").contains("connection refused");
            assertThat(proxy.nextFlow().status()).isEqualTo(502);
        }
    }
}
