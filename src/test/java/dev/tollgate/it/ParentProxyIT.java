package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.FlowRecord;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chaining: a second Tollgate is the parent. Targets outside noProxy go through it (absolute
 * form for HTTP, CONNECT for tunnels); noProxy targets go direct and never reach it.
 */
class ParentProxyIT {

    @Test
    void parentCarriesProxiedTrafficAndNeverSeesNoProxyTargets() throws Exception {
        try (TestOrigin origin = new TestOrigin();
                RawOrigin echo = TunnelIT.echoThenBye();
                ProxyHarness parent = ProxyHarness.start(Map.of("intercept", "false"));
                ProxyHarness child = ProxyHarness.start(Map.of(
                        "parentProxy", parent.url(),
                        "noProxy", "bypass.test",
                        "intercept", "false",
                        "hosts", "bypass.test=127.0.0.1,origin.test=127.0.0.1"))) {
            HttpResponse<String> viaParent = child.client()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://origin.test:" + origin.port() + "/echo"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(viaParent.statusCode()).isEqualTo(200);
            assertThat(viaParent.headers().allValues("via")).containsExactly("1.1 tollgate, 1.1 tollgate");
            FlowRecord childFlow = child.nextFlow();
            assertThat(childFlow.upstream()).isEqualTo("127.0.0.1:" + parent.port());
            FlowRecord parentFlow = parent.nextFlow();
            assertThat(parentFlow.url()).isEqualTo("http://origin.test:" + origin.port() + "/echo");

            HttpResponse<String> direct = child.client()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://bypass.test:" + origin.port() + "/echo"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(direct.statusCode()).isEqualTo(200);
            assertThat(direct.headers().allValues("via")).containsExactly("1.1 tollgate");
            assertThat(child.nextFlow().upstream()).isEqualTo("127.0.0.1:" + origin.port());

            try (ProxySocket s = new ProxySocket(child.port())) {
                s.send("CONNECT origin.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
                assertThat(s.readHead()).startsWith("HTTP/1.1 200");
                s.send("abc");
                assertThat(s.readBytes(3)).isEqualTo("abc");
            }
            assertThat(parent.nextFlow().url()).isEqualTo("origin.test:" + echo.port());
            try (ProxySocket s = new ProxySocket(child.port())) {
                s.send("CONNECT bypass.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
                assertThat(s.readHead()).startsWith("HTTP/1.1 200");
                s.send("def");
                assertThat(s.readBytes(3)).isEqualTo("def");
            }
            // a last request through the parent: a flow the bypassed tunnel left there would come before it
            String marker = "http://origin.test:" + origin.port() + "/echo?marker";
            assertThat(child.client()
                            .send(
                                    HttpRequest.newBuilder(URI.create(marker)).build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(200);
            assertThat(parent.flowsThrough(f -> f.url().equals(marker), "the marker request"))
                    .extracting(FlowRecord::url)
                    .containsExactly(marker);
        }
    }

    @Test
    void parentThatIsDownGives502NamingIt() throws Exception {
        int closed;
        try (ServerSocket ss = new ServerSocket(0)) {
            closed = ss.getLocalPort();
        }
        try (ProxyHarness child = ProxyHarness.start(Map.of("parentProxy", "http://127.0.0.1:" + closed))) {
            HttpResponse<String> r = child.client()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://origin.test/"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).contains("parent proxy").contains(String.valueOf(closed));
        }
    }
}
