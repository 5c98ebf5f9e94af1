package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every failure answers the client with a status and a reason, and logs one flow with the error. */
class ErrorsIT {

    @Test
    void unknownHostIs502NamingTheHost() throws Exception {
        try (ProxyHarness proxy = ProxyHarness.start()) {
            HttpResponse<String> r = proxy.client()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://no-such-host.test/x"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).contains("no-such-host.test").contains("unknown host");
            FlowRecord f = proxy.nextFlow();
            assertThat(f.status()).isEqualTo(502);
            assertThat(f.error()).contains("no-such-host.test");
        }
    }

    @Test
    void refusedConnectionIs502() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (ProxyHarness proxy = ProxyHarness.start()) {
            HttpResponse<String> r = proxy.client()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort + "/"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).contains("connection refused").contains(String.valueOf(closedPort));
            assertThat(proxy.nextFlow().error()).contains("refused");
        }
    }

    @Test
    void silentUpstreamIs504AfterTheFirstByteTimeout() throws Exception {
        try (RawOrigin silent = new RawOrigin(s -> s.getInputStream().readAllBytes());
                ProxyHarness proxy = ProxyHarness.start(Map.of("timeouts.firstByte", "1s"))) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = proxy.client()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + silent.port() + "/"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(r.body()).contains("did not answer within 1s");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
            assertThat(proxy.nextFlow().status()).isEqualTo(504);
        }
    }

    @Test
    void originClosingBeforeAnsweringIs502() throws Exception {
        try (RawOrigin rude = new RawOrigin(s -> RawOrigin.readHead(s.getInputStream()));
                ProxyHarness proxy = ProxyHarness.start()) {
            HttpResponse<String> r = proxy.client()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rude.port() + "/"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).contains("closed the connection before answering");
        }
    }

    @Test
    void malformedRequestsAre400AndTheConnectionCloses() throws Exception {
        try (ProxyHarness proxy = ProxyHarness.start()) {
            for (String bad : List.of(
                    "GARBAGE\r\n\r\n",
                    "GET http://[::1/ HTTP/1.1\r\nHost: x\r\n\r\n",
                    "GET ftp://example.test/ HTTP/1.1\r\nHost: x\r\n\r\n",
                    "CONNECT no-port-here HTTP/1.1\r\n\r\n")) {
                try (ProxySocket s = new ProxySocket(proxy.port())) {
                    String answer = s.send(bad).readToEnd();
                    assertThat(answer).as(bad).startsWith("HTTP/1.1 400").containsIgnoringCase("connection: close");
                }
            }
            assertThat(proxy.nextFlows(4))
                    .allSatisfy(f -> assertThat(f.status()).isEqualTo(400));
        }
    }

    @Test
    void tooLongRequestLineIs414AndTooManyHeaderBytesAre431() throws Exception {
        try (ProxyHarness proxy =
                ProxyHarness.start(Map.of("limits.maxInitialLine", "256", "limits.maxHeaderSize", "512"))) {
            try (ProxySocket s = new ProxySocket(proxy.port())) {
                assertThat(s.send("GET http://origin.test/" + "a".repeat(400) + " HTTP/1.1\r\n\r\n")
                                .readToEnd())
                        .startsWith("HTTP/1.1 414");
            }
            try (ProxySocket s = new ProxySocket(proxy.port())) {
                assertThat(s.send("GET http://origin.test/ HTTP/1.1\r\nX-Big: " + "b".repeat(600) + "\r\n\r\n")
                                .readToEnd())
                        .startsWith("HTTP/1.1 431");
            }
        }
    }

    @Test
    void clientOutsideTheAclGets403NamingItsAddressAndTheOption() throws Exception {
        try (ProxyHarness proxy = ProxyHarness.start(Map.of("allowClients", List.of("10.0.0.0/8")))) {
            HttpResponse<String> r = proxy.client()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://origin.test/"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.body()).contains("127.0.0.1").contains("--allow-client");
            FlowRecord f = proxy.nextFlow();
            assertThat(f.mode()).isEqualTo(FlowMode.DENY);
            try (ProxySocket s = new ProxySocket(proxy.port())) {
                assertThat(s.send("CONNECT origin.test:443 HTTP/1.1\r\n\r\n").readToEnd())
                        .startsWith("HTTP/1.1 403");
            }
        }
    }

    @Test
    void originFormRequestToTheProxyIsAnsweredLocally() throws Exception {
        try (ProxyHarness proxy = ProxyHarness.start();
                ProxySocket s = new ProxySocket(proxy.port())) {
            String answer = s.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .readToEnd();
            assertThat(answer).startsWith("HTTP/1.1 200").contains("Tollgate").contains("http_proxy=");
            assertThat(proxy.nextFlow().mode()).isEqualTo(FlowMode.LOCAL);
        }
    }
}
