package dev.tollgate.flow.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import dev.tollgate.flow.FlowSink;
import dev.tollgate.flow.Flows;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HAR 1.2 for the flows that do not look like a browser's: CONNECTs, local answers, failures, running ones. */
class HarWriterTest {
    private static final ObjectMapper M = new ObjectMapper();

    @Test
    void everyEntryHasAnAbsoluteUrlANonNegativeTimeAndMillisecondTimestamps() throws Exception {
        List<FlowRecord> records = new ArrayList<>();
        Flows flows = new Flows(List.of(new FlowSink() {
            @Override
            public void started(FlowRecord flow) {
                records.add(flow); // a running snapshot, as the store holds one
            }

            @Override
            public void ended(FlowRecord flow) {
                records.add(flow);
            }

            @Override
            public boolean wantsProgress() {
                return true;
            }

            @Override
            public boolean wantsHeads() {
                return true;
            }
        }));
        Flow post = flows.open("10.0.0.1:1")
                .request("POST", "https://api.example.com/v1?x=1&y")
                .mode(FlowMode.INTERCEPT)
                .clientVersion("HTTP/2")
                .upstreamVersion("HTTP/1.1")
                .requestHeaders(List.of(Map.entry("content-type", "application/json"), Map.entry("cookie", "a=b")));
        post.captureBodies(100);
        post.captureUp(ByteBuffer.wrap("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        post.upstreamPhases(1_000_000, 2_000_000, 3_000_000).response(201, List.of(Map.entry("location", "/v1/9")));
        post.captureDown(ByteBuffer.wrap(new byte[] {(byte) 0xff, 0, 1}));
        post.end();
        flows.open("10.0.0.1:2")
                .request("CONNECT", "db.example.com:5432")
                .mode(FlowMode.TUNNEL)
                .status(502)
                .error("connection refused by db.example.com:5432 (10.1.1.1)")
                .end();
        flows.open("10.0.0.1:3")
                .request("GET", "/")
                .mode(FlowMode.LOCAL)
                .status(200)
                .end();
        flows.open("10.0.0.1:4")
                .request("GET", "http://slow.example/")
                .mode(FlowMode.FORWARD)
                .started();

        byte[] har = new HarWriter(M, "test").write(records);
        Path artefact = Files.createDirectories(Path.of("target", "har")).resolve("sample.har");
        Files.write(artefact, har); // an artefact for an external validator (npm har-validator)
        JsonNode entries = M.readTree(har).get("log").get("entries");
        assertThat(entries).hasSize(4);
        for (JsonNode e : entries) {
            assertThat(URI.create(e.get("request").get("url").asText()).isAbsolute())
                    .isTrue();
            assertThat(URI.create(e.get("request").get("url").asText()).getHost())
                    .isNotBlank();
            assertThat(e.get("time").asDouble()).isGreaterThanOrEqualTo(0);
            assertThat(e.get("startedDateTime").asText()).matches(".*T\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z");
        }
        JsonNode p = entries.get(0);
        assertThat(p.get("request").get("httpVersion").asText()).isEqualTo("HTTP/2");
        assertThat(p.get("request").get("queryString").toString())
                .contains("\"name\":\"x\",\"value\":\"1\"")
                .contains("\"name\":\"y\",\"value\":\"\"");
        assertThat(p.get("request").get("headers").toString())
                .contains("REDACTED")
                .doesNotContain("a=b");
        assertThat(p.get("request").get("postData").get("text").asText()).isEqualTo("{\"a\":1}");
        assertThat(p.get("response").get("statusText").asText()).isEqualTo("Created");
        assertThat(p.get("response").get("redirectURL").asText()).isEqualTo("/v1/9");
        assertThat(p.get("response").get("content").get("encoding").asText()).isEqualTo("base64");
        assertThat(p.get("timings").get("dns").asDouble()).isEqualTo(1.0);
        assertThat(p.get("timings").get("connect").asDouble()).isEqualTo(5.0); // connect includes ssl in HAR
        assertThat(p.get("timings").get("ssl").asDouble()).isEqualTo(3.0);
        assertThat(entries.get(1).get("request").get("url").asText()).isEqualTo("https://db.example.com:5432/");
        assertThat(entries.get(1).get("response").get("statusText").asText()).isEqualTo("Bad Gateway");
        assertThat(entries.get(2).get("request").get("url").asText()).isEqualTo("http://tollgate.invalid/");
        assertThat(entries.get(3).get("response").get("status").asInt()).isZero();
    }
}
