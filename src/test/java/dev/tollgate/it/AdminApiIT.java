package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.ProxyConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin listener's flow API, HAR, inventory and event stream, read back after real traffic. */
class AdminApiIT {
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
    void listFiltersByHostStatusModeAndErrors() throws Exception {
        JsonNode all = t.json("/api/flows").get("flows");
        assertThat(all.get(0).get("id").asLong())
                .isGreaterThan(all.get(all.size() - 1).get("id").asLong());

        JsonNode fiveHundreds = t.json("/api/flows?status=5xx").get("flows");
        assertThat(fiveHundreds)
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.get("status").asInt()).isBetween(500, 599));
        JsonNode denied = t.json("/api/flows?mode=deny").get("flows");
        assertThat(denied).singleElement().satisfies(f -> {
            assertThat(f.get("url").asText()).isEqualTo("http://denied.test/");
            assertThat(f.get("status").asInt()).isEqualTo(403);
            assertThat(f.get("error").asText()).startsWith("egress policy");
        });
        JsonNode intercepted =
                t.json("/api/flows?mode=intercept&host=api.test&status=2xx").get("flows");
        assertThat(intercepted)
                .hasSize(2)
                .allSatisfy(f -> assertThat(f.get("url").asText()).startsWith("https://api.test:"));
        assertThat(t.json("/api/flows?errors=1").get("flows"))
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.get("error").isNull()).isFalse());
        assertThat(t.json("/api/flows?q=bytes/100%3Fi%3D3").get("flows")).singleElement();
        assertThat(t.json("/api/flows?limit=2").get("flows")).hasSize(2);

        HttpResponse<String> bad = t.h.get("/api/flows?status=6xx");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("status=6xx").contains("not a status class");
    }

    @Test
    void detailHasRedactedHeadersTimingsTlsAndTheCapturedBody() throws Exception {
        JsonNode row = t.json("/api/flows?q=/echo").get("flows").get(0);
        JsonNode f = t.json("/api/flows/" + row.get("id").asLong());
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

        JsonNode tlsRow = t.json("/api/flows?host=api.test&status=2xx&limit=1")
                .get("flows")
                .get(0);
        JsonNode tls = t.json("/api/flows/" + tlsRow.get("id").asLong()).get("tls");
        assertThat(tls.get("sni").asText()).isEqualTo("api.test");
        assertThat(tls.get("clientProtocol").asText()).startsWith("TLSv1.");
        assertThat(tls.get("upstreamProtocol").asText()).startsWith("TLSv1.");
        assertThat(t.json("/api/flows/" + tlsRow.get("id").asLong()).has("requestBody"))
                .isFalse(); // not a capture host

        assertThat(t.h.get("/api/flows/999999").statusCode()).isEqualTo(404);
        assertThat(t.h.get("/api/flows/abc").statusCode()).isEqualTo(400);
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
        HttpResponse<String> r = t.h.get("/api/flows.har");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-disposition").orElse(""))
                .contains("attachment")
                .contains(".har");
        // kept as an artefact for an external validator (npm har-validator)
        Files.writeString(Files.createDirectories(Path.of("target", "har")).resolve("admin-api-it.har"), r.body());
        JsonNode log = AdminTraffic.JSON.readTree(r.body()).get("log");
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
        JsonNode onlyDenied = AdminTraffic.JSON
                .readTree(t.h.get("/api/flows.har?mode=deny").body())
                .get("log")
                .get("entries");
        assertThat(onlyDenied)
                .singleElement()
                .satisfies(
                        e -> assertThat(e.get("response").get("status").asInt()).isEqualTo(403));
        JsonNode post = AdminTraffic.JSON
                .readTree(t.h.get("/api/flows.har?q=/echo").body())
                .get("log")
                .get("entries")
                .get(0);
        assertThat(post.get("request").get("postData").get("text").asText()).isEqualTo("{\"hello\":[1,2,3]}");
    }

    @Test
    void inventoryListsDestinationsAndItsYamlIsAValidEgressConfig() throws Exception {
        JsonNode dests = t.json("/api/inventory").get("destinations");
        JsonNode plain = find(dests, "127.0.0.1:" + t.origin.port());
        assertThat(plain.get("count").asLong()).isGreaterThanOrEqualTo(7);
        assertThat(plain.get("modes").toString()).contains("forward");
        assertThat(plain.get("clients").toString()).contains("127.0.0.1");
        assertThat(plain.get("bytesDown").asLong()).isGreaterThanOrEqualTo(500);
        JsonNode api = find(dests, "api.test:" + t.tlsOrigin.port());
        assertThat(api.get("sni").toString()).contains("api.test");
        assertThat(api.get("modes").toString()).contains("intercept");
        assertThat(api.get("firstSeen").asText()).isNotEmpty();

        HttpResponse<String> yaml = t.h.get("/api/inventory.yaml");
        assertThat(yaml.statusCode()).isEqualTo(200);
        JsonNode block = new YAMLMapper().readTree(yaml.body()).get("egress");
        assertThat(block.get("mode").asText()).isEqualTo("allow-list");
        assertThat(block.get("allow").toString())
                .contains("127.0.0.1:" + t.origin.port())
                .contains("api.test:" + t.tlsOrigin.port())
                .doesNotContain("denied.test");
        assertThat(yaml.body()).contains("#   - denied.test:80");
        Path file = t.pki.dir.resolve("inventory.yaml");
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
    void eventStreamPushesNewFlowsAsTheyHappen() throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        HttpResponse<InputStream> stream = c.send(
                HttpRequest.newBuilder(URI.create(t.h.url + "/api/events"))
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
                t.h.proxy.client().send(AdminTraffic.get(t.origin.url(marker)), HttpResponse.BodyHandlers.discarding());
                try {
                    seen.get(300, TimeUnit.MILLISECONDS);
                } catch (TimeoutException notYet) {
                    // send again: the first request may have raced the subscription
                }
            }
            String line = seen.get(1, TimeUnit.SECONDS);
            JsonNode batch = AdminTraffic.JSON.readTree(line.substring("data: ".length()));
            assertThat(batch.isArray()).isTrue();
            assertThat(batch.toString()).contains(marker);
        }
    }
}
