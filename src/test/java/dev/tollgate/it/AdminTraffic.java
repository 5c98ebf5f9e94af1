package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A proxy with its admin listener, body capture for 127.0.0.1, an egress denial and a bypass,
 * and the traffic the admin tests read back: plain GETs, a POST with a secret, a 503, a 403,
 * two intercepted requests and one client that does not trust the CA.
 */
final class AdminTraffic implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    final InterceptFixture pki;
    final TestOrigin origin;
    final TlsOrigin tlsOrigin;
    final AdminHarness h;

    AdminTraffic() throws Exception {
        pki = new InterceptFixture();
        origin = new TestOrigin();
        tlsOrigin = pki.origin(List.of("api.test"), "api");
        Map<String, Object> settings = new HashMap<>(pki.proxySettings("api.test=127.0.0.1,bypass.test=127.0.0.1"));
        settings.put("admin.capture.hosts", "127.0.0.1");
        settings.put("admin.capture.maxBodyBytes", "1024");
        settings.put("egress.deny", "denied.test");
        settings.put("noProxy", "bypass.test");
        h = new AdminHarness(settings, pki.tollgateCa, pki.dir);

        HttpClient plain = h.proxy.client();
        for (int i = 0; i < 5; i++) {
            assertThat(plain.send(get(origin.url("/bytes/100?i=" + i)), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
        }
        HttpRequest post = HttpRequest.newBuilder(URI.create(origin.url("/echo")))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer s3cret-value")
                .POST(HttpRequest.BodyPublishers.ofString("{\"hello\":[1,2,3]}"))
                .build();
        assertThat(plain.send(post, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        assertThat(plain.send(get(origin.url("/status/503")), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(503);
        assertThat(plain.send(get("http://denied.test/"), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(403);
        HttpClient trusting = pki.client(h.proxy);
        String tlsUrl = "https://api.test:" + tlsOrigin.port() + "/inside";
        assertThat(trusting.send(get(tlsUrl), HttpResponse.BodyHandlers.ofString())
                        .body())
                .contains("hello from api");
        assertThat(trusting.send(get(tlsUrl + "?again=1"), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        // curl without the CA rejects the forged leaf, as a node that was never given the CA would
        Curl.Result untrusted =
                Curl.run(Map.of("https_proxy", "http://127.0.0.1:" + h.proxy.port()), "-s", tlsUrl + "?untrusted=1");
        assertThat(untrusted.exit()).isNotZero();
        // 10 exchanges and the refused handshake (the trusting client's own CONNECT stays open)
        awaitFlows("", f -> f.size() >= 11 && f.toString().contains("Tollgate CA"));
    }

    @Override
    public void close() throws Exception {
        h.close();
        origin.close();
        tlsOrigin.close();
        pki.close();
    }

    static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    JsonNode json(String path) throws Exception {
        HttpResponse<String> r = h.get(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Polls the list until {@code done} holds (flows end on the proxy's loops, a little after the client's answer). */
    JsonNode awaitFlows(String query, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonNode flows;
        do {
            flows = json("/api/flows" + query).get("flows");
            if (done.test(flows)) {
                return flows;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("flows" + query + " never satisfied the condition; last: " + flows);
    }
}
