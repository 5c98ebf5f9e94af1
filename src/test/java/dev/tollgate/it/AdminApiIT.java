package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.ProxyConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoublePredicate;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin API against a running proxy with real traffic through it: plain HTTP to a real
 * origin, intercepted HTTPS to a real TLS origin, a client that does not trust the CA, and
 * refused requests. Every check reads what a real HTTP client gets from the admin listener.
 */
class AdminApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static InterceptFixture pki;
    private static TestOrigin origin;
    private static TlsOrigin tlsOrigin;
    private static AdminHarness h;

    @BeforeAll
    static void start() throws Exception {
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

    @AfterAll
    static void stop() throws Exception {
        h.close();
        origin.close();
        tlsOrigin.close();
        pki.close();
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private static JsonNode json(String path) throws Exception {
        HttpResponse<String> r = h.get(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Polls the list until {@code done} holds (flows end on the proxy's loops, a little after the client's answer). */
    private static JsonNode awaitFlows(String query, Predicate<JsonNode> done) throws Exception {
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

    @Test
    void listFiltersByHostStatusModeAndErrors() throws Exception {
        JsonNode all = json("/api/flows").get("flows");
        assertThat(all.get(0).get("id").asLong())
                .isGreaterThan(all.get(all.size() - 1).get("id").asLong());

        JsonNode fiveHundreds = json("/api/flows?status=5xx").get("flows");
        assertThat(fiveHundreds)
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.get("status").asInt()).isBetween(500, 599));
        JsonNode denied = json("/api/flows?mode=deny").get("flows");
        assertThat(denied).singleElement().satisfies(f -> {
            assertThat(f.get("url").asText()).isEqualTo("http://denied.test/");
            assertThat(f.get("status").asInt()).isEqualTo(403);
            assertThat(f.get("error").asText()).startsWith("egress policy");
        });
        JsonNode intercepted =
                json("/api/flows?mode=intercept&host=api.test&status=2xx").get("flows");
        assertThat(intercepted)
                .hasSize(2)
                .allSatisfy(f -> assertThat(f.get("url").asText()).startsWith("https://api.test:"));
        assertThat(json("/api/flows?errors=1").get("flows"))
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.get("error").isNull()).isFalse());
        assertThat(json("/api/flows?q=bytes/100%3Fi%3D3").get("flows")).singleElement();
        assertThat(json("/api/flows?limit=2").get("flows")).hasSize(2);

        HttpResponse<String> bad = h.get("/api/flows?status=6xx");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("status=6xx").contains("not a status class");
    }

    @Test
    void detailHasRedactedHeadersTimingsTlsAndTheCapturedBody() throws Exception {
        JsonNode row = json("/api/flows?q=/echo").get("flows").get(0);
        JsonNode f = json("/api/flows/" + row.get("id").asLong());
        assertThat(f.get("method").asText()).isEqualTo("POST");
        assertThat(headerValue(f.get("requestHeaders"), "Authorization")).isEqualTo("REDACTED");
        assertThat(headerValue(f.get("requestHeaders"), "Content-Type")).isEqualTo("application/json");
        assertThat(f.get("responseHeaders")).isNotEmpty();
        assertThat(f.get("timings").get("totalUs").asLong()).isPositive();
        JsonNode body = f.get("requestBody");
        assertThat(body.get("kind").asText()).isEqualTo("json");
        assertThat(body.get("text").asText()).contains("\"hello\" : [ 1, 2, 3 ]");
        assertThat(body.get("size").asLong()).isEqualTo(17);
        assertThat(f.get("responseBody").get("size").asLong()).isEqualTo(17);

        JsonNode tlsRow =
                json("/api/flows?host=api.test&status=2xx&limit=1").get("flows").get(0);
        JsonNode tls = json("/api/flows/" + tlsRow.get("id").asLong()).get("tls");
        assertThat(tls.get("sni").asText()).isEqualTo("api.test");
        assertThat(tls.get("clientProtocol").asText()).startsWith("TLSv1.");
        assertThat(tls.get("upstreamProtocol").asText()).startsWith("TLSv1.");
        assertThat(json("/api/flows/" + tlsRow.get("id").asLong()).has("requestBody"))
                .isFalse(); // not a capture host

        assertThat(h.get("/api/flows/999999").statusCode()).isEqualTo(404);
        assertThat(h.get("/api/flows/abc").statusCode()).isEqualTo(400);
    }

    private static String headerValue(JsonNode lines, String name) {
        for (JsonNode line : lines) {
            if (line.get(0).asText().equalsIgnoreCase(name)) {
                return line.get(1).asText();
            }
        }
        return null;
    }

    @Test
    void harHasEveryRequiredFieldOfHar12() throws Exception {
        HttpResponse<String> r = h.get("/api/flows.har");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-disposition").orElse(""))
                .contains("attachment")
                .contains(".har");
        // kept as an artefact for an external validator (npm har-validator)
        Files.writeString(Files.createDirectories(Path.of("target", "har")).resolve("admin-api-it.har"), r.body());
        JsonNode log = JSON.readTree(r.body()).get("log");
        assertThat(log.get("version").asText()).isEqualTo("1.2");
        assertThat(log.get("creator").get("name").asText()).isEqualTo("Tollgate");
        assertThat(log.get("creator").has("version")).isTrue();
        JsonNode entries = log.get("entries");
        assertThat(entries.size()).isGreaterThanOrEqualTo(11);
        for (JsonNode e : entries) {
            assertThat(e.get("startedDateTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(e.get("time").isNumber()).isTrue();
            assertThat(e.get("cache").isObject()).isTrue();
            JsonNode req = e.get("request");
            for (String k : List.of(
                    "method", "url", "httpVersion", "cookies", "headers", "queryString", "headersSize", "bodySize")) {
                assertThat(req.has(k)).as("request." + k + " in " + e).isTrue();
            }
            assertThat(URI.create(req.get("url").asText()).getScheme()).isIn("http", "https");
            JsonNode res = e.get("response");
            for (String k : List.of(
                    "status",
                    "statusText",
                    "httpVersion",
                    "cookies",
                    "headers",
                    "content",
                    "redirectURL",
                    "headersSize",
                    "bodySize")) {
                assertThat(res.has(k)).as("response." + k).isTrue();
            }
            assertThat(res.get("content").has("size")).isTrue();
            assertThat(res.get("content").has("mimeType")).isTrue();
            JsonNode t = e.get("timings");
            for (String k : List.of("send", "wait", "receive")) {
                assertThat(t.get(k).asDouble()).as("timings." + k).isGreaterThanOrEqualTo(0);
            }
        }
        // oldest first, and the filter applies
        assertThat(entries.get(0).get("_id").asLong())
                .isLessThan(entries.get(entries.size() - 1).get("_id").asLong());
        JsonNode onlyDenied = JSON.readTree(h.get("/api/flows.har?mode=deny").body())
                .get("log")
                .get("entries");
        assertThat(onlyDenied)
                .singleElement()
                .satisfies(
                        e -> assertThat(e.get("response").get("status").asInt()).isEqualTo(403));
        JsonNode post = JSON.readTree(h.get("/api/flows.har?q=/echo").body())
                .get("log")
                .get("entries")
                .get(0);
        assertThat(post.get("request").get("postData").get("text").asText()).isEqualTo("{\"hello\":[1,2,3]}");
    }

    @Test
    void inventoryListsDestinationsAndItsYamlIsAValidEgressConfig() throws Exception {
        JsonNode dests = json("/api/inventory").get("destinations");
        JsonNode plain = find(dests, "127.0.0.1:" + origin.port());
        assertThat(plain.get("count").asLong()).isGreaterThanOrEqualTo(7);
        assertThat(plain.get("modes").toString()).contains("forward");
        assertThat(plain.get("clients").toString()).contains("127.0.0.1");
        assertThat(plain.get("bytesDown").asLong()).isGreaterThanOrEqualTo(500);
        JsonNode api = find(dests, "api.test:" + tlsOrigin.port());
        assertThat(api.get("sni").toString()).contains("api.test");
        assertThat(api.get("modes").toString()).contains("intercept");
        assertThat(api.get("firstSeen").asText()).isNotEmpty();

        HttpResponse<String> yaml = h.get("/api/inventory.yaml");
        assertThat(yaml.statusCode()).isEqualTo(200);
        JsonNode block = new YAMLMapper().readTree(yaml.body()).get("egress");
        assertThat(block.get("mode").asText()).isEqualTo("allow-list");
        assertThat(block.get("allow").toString())
                .contains("127.0.0.1:" + origin.port())
                .contains("api.test:" + tlsOrigin.port())
                .doesNotContain("denied.test");
        assertThat(yaml.body()).contains("#   - denied.test:80");
        Path file = pki.dir.resolve("inventory.yaml");
        Files.writeString(file, yaml.body());
        ProxyConfig enforced = ConfigLoader.load(file, Map.of(), Map.of());
        assertThat(enforced.egress().toString()).contains("api.test");
    }

    private static JsonNode find(JsonNode dests, String destination) {
        for (JsonNode d : dests) {
            if (d.get("destination").asText().equals(destination)) {
                return d;
            }
        }
        throw new AssertionError(destination + " not in the inventory: " + dests);
    }

    @Test
    void metricsCountFlowsDenialsFailuresLeavesAndTheJvm() throws Exception {
        String m = h.get("/metrics").body();
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
        try (Socket tunnel = new Socket("127.0.0.1", h.proxy.port())) {
            tunnel.setSoTimeout(5000);
            tunnel.getOutputStream()
                    .write(("CONNECT bypass.test:" + origin.port() + " HTTP/1.1\r\nHost: bypass.test\r\n\r\n")
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
            v = value(h.get("/metrics").body(), series);
            if (done.test(v)) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(series + " stayed at " + v);
    }

    @Test
    void eventStreamPushesNewFlowsAsTheyHappen() throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        HttpResponse<InputStream> stream = c.send(
                HttpRequest.newBuilder(URI.create(h.url + "/api/events"))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        String marker = "/bytes/3?live=" + System.nanoTime();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.startsWith("data: ") && line.contains(marker) && line.contains("\"ended\":true")) {
                            return line;
                        }
                    }
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // the stream is subscribed once its first bytes arrived; traffic after that must show up
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!seen.isDone() && System.nanoTime() < deadline) {
                h.proxy.client().send(get(origin.url(marker)), HttpResponse.BodyHandlers.discarding());
                try {
                    seen.get(300, TimeUnit.MILLISECONDS);
                } catch (TimeoutException notYet) {
                    // send again: the first request may have raced the subscription
                }
            }
            String line = seen.get(1, TimeUnit.SECONDS);
            JsonNode batch = JSON.readTree(line.substring("data: ".length()));
            assertThat(batch.isArray()).isTrue();
            assertThat(batch.toString()).contains(marker);
        }
    }

    @Test
    void healthReadinessAndTheCaPage() throws Exception {
        assertThat(h.get("/healthz").body()).isEqualTo("ok\n");
        Curl.Result head = Curl.run(Map.of(), "-I", h.url + "/healthz"); // a probe that sends HEAD gets no body
        assertThat(head.exit()).isZero();
        assertThat(head.stdout().toLowerCase(Locale.ROOT))
                .startsWith("http/1.1 200")
                .contains("content-length: 3");
        HttpResponse<String> ready = h.get("/readyz");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(h.get("/ca.pem").body()).isEqualTo(pki.tollgateCa.certificatePem());
        HttpResponse<byte[]> der = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(h.url + "/ca.der")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(der.body()).isEqualTo(pki.tollgateCa.der());
        String page = h.get("/ca").body();
        assertThat(page)
                .contains(
                        pki.tollgateCa.sha256Fingerprint(),
                        pki.tollgateCa.certificateBase64Line(),
                        "update-ca-certificates",
                        "update-ca-trust",
                        "certutil -addstore",
                        "security add-trusted-cert",
                        "keytool -importcert",
                        "REQUESTS_CA_BUNDLE",
                        "NODE_EXTRA_CA_CERTS",
                        "base64 -w0",
                        h.url + "/ca.pem");
        assertThat(h.get("/nope").statusCode()).isEqualTo(404);
    }
}
