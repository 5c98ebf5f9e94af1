package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bounded resources: slow request heads are cut off, connection caps refuse the excess only. */
class ResourceLimitsIT {

    @Test
    void slowlorisIsCutOffWhileNormalRequestsGoOn() throws Exception {
        int slowCount = 200;
        try (TestOrigin origin = new TestOrigin();
                ProxyHarness proxy = ProxyHarness.start(Map.of("timeouts.requestHead", "2s"))) {
            List<ProxySocket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < slowCount; i++) {
                    slow.add(new ProxySocket(proxy.port()).send("GET " + origin.url("/") + " HTTP/1.1\r\nX-Slow: "));
                }
                for (int round = 0; round < 3; round++) {
                    Thread.sleep(400); // the trickle's pace, not a wait for anything: 3 rounds stay inside the 2 s
                    for (ProxySocket s : slow) {
                        s.send("a"); // a byte now and then: never idle, never done
                    }
                    HttpResponse<String> normal = proxy.client()
                            .send(
                                    HttpRequest.newBuilder(URI.create(origin.url("/bytes/10")))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                    assertThat(normal.statusCode()).isEqualTo(200);
                }
                for (ProxySocket s : slow) {
                    assertThat(s.readToEnd()).startsWith("HTTP/1.1 408").contains("did not arrive within 2s");
                }
            } finally {
                for (ProxySocket s : slow) {
                    s.close();
                }
            }
        }
    }

    @Test
    void connectionsOverThePerClientCapGet503AndOpenOnesKeepWorking() throws Exception {
        try (TestOrigin origin = new TestOrigin();
                ProxyHarness proxy = ProxyHarness.start(Map.of("limits.maxConnectionsPerClient", "3"))) {
            List<ProxySocket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    ProxySocket s = new ProxySocket(proxy.port());
                    open.add(s);
                    // a full exchange first: the proxy has surely counted this one before the next arrives
                    s.send("GET " + origin.url("/bytes/4") + " HTTP/1.1\r\nHost: x\r\n\r\n");
                    assertThat(s.readHead()).startsWith("HTTP/1.1 200");
                    s.readBytes(4);
                }
                try (ProxySocket fourth = new ProxySocket(proxy.port())) {
                    assertThat(fourth.readToEnd()).startsWith("HTTP/1.1 503").contains("maxConnectionsPerClient");
                }
                for (ProxySocket s : open) {
                    s.send("GET " + origin.url("/bytes/4") + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                    assertThat(s.readToEnd()).startsWith("HTTP/1.1 200");
                }
            } finally {
                for (ProxySocket s : open) {
                    s.close();
                }
            }
            // the proxy releases a closed connection's slot when it sees the close, a moment later
            await("a connection after the others closed")
                    .atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> {
                        try (ProxySocket again = new ProxySocket(proxy.port())) {
                            again.send("GET " + origin.url("/bytes/4")
                                    + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                            assertThat(again.readToEnd()).startsWith("HTTP/1.1 200");
                        }
                    });
        }
    }
}
