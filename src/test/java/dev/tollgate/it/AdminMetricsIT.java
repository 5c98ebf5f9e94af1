package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin listener's metrics, gauges, health and CA page, after real traffic. */
class AdminMetricsIT {
    private static AdminTraffic t;

    @BeforeAll
    static void start() throws Exception {
        t = new AdminTraffic();
    }

    @AfterAll
    static void stop() throws Exception {
        t.close();
    }

    @Test
    void metricsCountFlowsDenialsFailuresLeavesAndTheJvm() throws Exception {
        String m = t.h.get("/metrics").body();
        assertThat(value(m, "tollgate_requests_total{mode=\"forward\",status_class=\"2xx\"}"))
                .isGreaterThanOrEqualTo(6);
        assertThat(value(m, "tollgate_requests_total{mode=\"forward\",status_class=\"5xx\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(m, "tollgate_requests_total{mode=\"intercept\",status_class=\"2xx\"}"))
                .isEqualTo(2);
        assertThat(value(m, "tollgate_denials_total{cause=\"egress\"}")).isEqualTo(1);
        assertThat(value(
                        m, "tollgate_tls_handshake_failures_total{leg=\"client\",reason=\"client_does_not_trust_ca\"}"))
                .isEqualTo(1);
        assertThat(value(m, "tollgate_leaf_forges_total")).isGreaterThanOrEqualTo(1);
        assertThat(value(m, "tollgate_leaf_cache_hits_total")).isGreaterThanOrEqualTo(1);
        assertThat(value(m, "tollgate_leaf_forge_duration_seconds_count"))
                .isEqualTo(value(m, "tollgate_leaf_forges_total"));
        assertThat(value(m, "tollgate_transferred_bytes_total{direction=\"down\"}"))
                .isGreaterThanOrEqualTo(500);
        assertThat(value(m, "tollgate_flow_store_flows")).isGreaterThanOrEqualTo(11);
        assertThat(m)
                .contains(
                        "tollgate_client_connections ",
                        "tollgate_open_tunnels ",
                        "tollgate_flow_log_dropped_total ",
                        "tollgate_config_reloads_total{result=\"refused\"} 0",
                        "jvm_memory_used_bytes",
                        "jvm_gc_collection_seconds",
                        "jvm_threads_current",
                        "process_open_fds");
    }

    private static double value(String metrics, String series) {
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(series + " in\n" + metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void openTunnelsAndClientConnectionsAreGaugedWhileTheyLast() throws Exception {
        try (Socket tunnel = new Socket("127.0.0.1", t.h.proxy.port())) {
            tunnel.setSoTimeout(5000);
            tunnel.getOutputStream()
                    .write(("CONNECT bypass.test:" + t.origin.port() + " HTTP/1.1\r\nHost: bypass.test\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(tunnel.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
                    .isEqualTo("HTTP/1.1 200");
            awaitMetric("tollgate_open_tunnels", v -> v == 1);
            awaitMetric("tollgate_client_connections", v -> v >= 1);
        }
        awaitMetric("tollgate_open_tunnels", v -> v == 0);
        awaitMetric("tollgate_requests_total{mode=\"bypass\",status_class=\"2xx\"}", v -> v == 1);
    }

    private static void awaitMetric(String series, DoublePredicate done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        double v;
        do {
            v = value(t.h.get("/metrics").body(), series);
            if (done.test(v)) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(series + " stayed at " + v);
    }

    @Test
    void healthReadinessAndTheCaPage() throws Exception {
        assertThat(t.h.get("/healthz").body()).isEqualTo("ok\n");
        Curl.Result head = Curl.run(Map.of(), "-I", t.h.url + "/healthz"); // a probe that sends HEAD gets no body
        assertThat(head.exit()).isZero();
        assertThat(head.stdout().toLowerCase(Locale.ROOT))
                .startsWith("http/1.1 200")
                .contains("content-length: 3");
        HttpResponse<String> ready = t.h.get("/readyz");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(t.h.get("/ca.pem").body()).isEqualTo(t.pki.tollgateCa.certificatePem());
        HttpResponse<byte[]> der = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(t.h.url + "/ca.der")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(der.body()).isEqualTo(t.pki.tollgateCa.der());
        String page = t.h.get("/ca").body();
        assertThat(page)
                .contains(
                        t.pki.tollgateCa.sha256Fingerprint(),
                        t.pki.tollgateCa.certificateBase64Line(),
                        "update-ca-certificates",
                        "update-ca-trust",
                        "certutil -addstore",
                        "security add-trusted-cert",
                        "keytool -importcert",
                        "REQUESTS_CA_BUNDLE",
                        "NODE_EXTRA_CA_CERTS",
                        "base64 -w0",
                        t.h.url + "/ca.pem");
        assertThat(t.h.get("/nope").statusCode()).isEqualTo(404);
    }
}
