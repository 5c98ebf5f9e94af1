package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Plain HTTP through the proxy with the JDK HttpClient: methods, bodies, headers, reuse. */
class ForwardProxyIT {
    static TestOrigin origin;
    static ProxyHarness proxy;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        origin = new TestOrigin();
        proxy = ProxyHarness.start(Map.of());
        client = proxy.client();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void getIsRelayedInOriginFormWithViaAndHost() throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create(origin.url("/echo?q=1")))
                        .header("X-Test", "yes")
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("via")).hasValue("1.1 tollgate");
        assertThat(origin.requestLines).contains("GET /echo?q=1");
        assertThat(r.headers().firstValue("x-got-host")).hasValue("127.0.0.1:" + origin.port());
        assertThat(r.headers().firstValue("x-got-via")).hasValue("1.1 tollgate");
        assertThat(r.headers().firstValue("x-got-x-test")).hasValue("yes");
        FlowRecord f = proxy.awaitFlow(flow -> flow.url().equals(origin.url("/echo?q=1")), "the GET");
        assertThat(f.method()).isEqualTo("GET");
        assertThat(f.mode()).isEqualTo(FlowMode.FORWARD);
        assertThat(f.status()).isEqualTo(200);
        assertThat(f.upstream()).isEqualTo("127.0.0.1:" + origin.port());
        assertThat(f.error()).isNull();
    }

    @Test
    void everyMethodIsRelayed() throws Exception {
        for (String method : new String[] {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(URI.create(origin.url("/echo")))
                            .method(
                                    method,
                                    HttpRequest.BodyPublishers.ofString(method.equals("GET") ? "" : "body-" + method))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method).isEqualTo(200);
            assertThat(r.body()).as(method).isEqualTo(method.equals("GET") ? "" : "body-" + method);
        }
        assertThat(origin.requestLines).contains("PATCH /echo", "OPTIONS /echo", "DELETE /echo");
    }

    @Test
    void chunkedUploadStreamsThrough() throws Exception {
        byte[] data = TestOrigin.pattern(3 * 1024 * 1024 + 17);
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create(origin.url("/sha256")))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(data)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo(sha256(data) + " " + data.length);
    }

    @Test
    void headAnd204And304HaveNoBody() throws Exception {
        HttpResponse<String> head = client.send(
                HttpRequest.newBuilder(URI.create(origin.url("/bytes/1000")))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty(); // the JDK origin frames HEAD answers as chunked: no "0" chunk may follow
        for (int status : new int[] {204, 304}) {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(URI.create(origin.url("/status/" + status)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(status);
            assertThat(r.body()).isEmpty();
        }
        // the connection is still good after all three
        assertThat(client.send(
                                HttpRequest.newBuilder(URI.create(origin.url("/bytes/10")))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray())
                        .body())
                .hasSize(10);
    }

    @Test
    void keepAliveReusesOneUpstreamConnection() throws Exception {
        try (TestOrigin fresh = new TestOrigin()) {
            for (int i = 0; i < 10; i++) {
                HttpResponse<byte[]> r = client.send(
                        HttpRequest.newBuilder(URI.create(fresh.url("/bytes/100")))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.body()).hasSize(100);
            }
            assertThat(fresh.requests.get()).isEqualTo(10);
            assertThat(fresh.connections()).isEqualTo(1);
        }
    }

    @Test
    void hundredMebibytesStreamBothWaysIntact() throws Exception {
        long size = 100L * 1024 * 1024;
        HttpResponse<InputStream> down = client.send(
                HttpRequest.newBuilder(URI.create(origin.url("/bytes/" + size))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (InputStream in = down.body()) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; total += n) {
                md.update(buf, 0, n);
            }
        }
        assertThat(total).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(md.digest())).isEqualTo(expectedPatternSha(size));

        HttpResponse<String> up = client.send(
                HttpRequest.newBuilder(URI.create(origin.url("/sha256")))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(size)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(up.body()).isEqualTo(expectedPatternSha(size) + " " + size);
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    static String expectedPatternSha(long size) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] block = TestOrigin.pattern(64 * 1024);
        for (long left = size; left > 0; left -= block.length) {
            md.update(block, 0, (int) Math.min(block.length, left));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The origin's repeating 64 KiB pattern, {@code size} bytes of it, without holding it in memory. */
    static final class PatternStream extends InputStream {
        private final byte[] block = TestOrigin.pattern(64 * 1024);
        private long left;
        private int pos;

        PatternStream(long size) {
            left = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, block.length - pos), left);
            System.arraycopy(block, pos, b, off, n);
            pos = (pos + n) % block.length;
            left -= n;
            return n;
        }
    }
}
