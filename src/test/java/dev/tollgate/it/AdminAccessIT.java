package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may use the admin listener, checked with real clients over loopback: open on loopback
 * (but only under a loopback Host), token-only beyond loopback even for a loopback client, the
 * login cookie, the generated token file, and the event stream's Origin check.
 */
class AdminAccessIT {
    private static final String TOKEN = "test-token-0123456789abcdef";
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void boundToLoopbackNoTokenIsNeededButTheHostMustBeLoopback() throws Exception {
        try (AdminHarness h = new AdminHarness(Map.of(), null, dir)) {
            assertThat(get(h.url + "/api/flows").statusCode()).isEqualTo(200);
            assertThat(get(h.url + "/metrics").statusCode()).isEqualTo(200);
            assertThat(get(h.url.replace("127.0.0.1", "localhost") + "/api/flows")
                            .statusCode())
                    .isEqualTo(200);
            // a page on another site that rebinds its name to 127.0.0.1 sends its own Host
            assertThat(rawStatus(h.url, "GET /api/flows HTTP/1.1\r\nHost: rebound.example:80\r\n\r\n"))
                    .startsWith("HTTP/1.1 403");
            assertThat(Files.exists(dir.resolve("admin-token"))).isFalse();
        }
    }

    @Test
    void boundBeyondLoopbackEveryRequestButHealthNeedsTheToken() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        // no CA here, so interception is off: /readyz would rightly answer 503 for a CA-less interceptor
        try (AdminHarness h = new AdminHarness(
                Map.of("admin.listen", "0.0.0.0:0", "admin.tokenFile", tokenFile.toString(), "intercept", "false"),
                null,
                dir)) {
            for (String path : new String[] {
                "/", "/api/flows", "/api/flows.har", "/api/inventory.yaml", "/metrics", "/ca", "/api/events"
            }) {
                assertThat(get(h.url + path).statusCode())
                        .as("no token, " + path)
                        .isEqualTo(401);
                assertThat(get(h.url + path, "Authorization", "Bearer wrong-" + TOKEN)
                                .statusCode())
                        .as("wrong token, " + path)
                        .isEqualTo(401);
            }
            assertThat(get(h.url + "/api/flows", "Authorization", "Bearer " + TOKEN)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(get(h.url + "/metrics", "Authorization", "Bearer " + TOKEN)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(get(h.url + "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(h.url + "/readyz").statusCode()).isEqualTo(200);
            HttpResponse<String> page = get(h.url + "/", "Accept", "text/html");
            assertThat(page.statusCode()).isEqualTo(401);
            assertThat(page.body()).contains("<form method=post action=/login>").doesNotContain(TOKEN);
        }
    }

    @Test
    void theLoginFormSetsAStrictHttpOnlyCookieThatOpensTheApi() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        try (AdminHarness h = new AdminHarness(
                Map.of("admin.listen", "0.0.0.0:0", "admin.tokenFile", tokenFile.toString()), null, dir)) {
            assertThat(login(h, "not-it").statusCode()).isEqualTo(401);
            HttpResponse<String> ok = login(h, TOKEN);
            assertThat(ok.statusCode()).isEqualTo(303);
            String cookie = ok.headers().firstValue("set-cookie").orElseThrow();
            assertThat(cookie.toLowerCase(Locale.ROOT)).contains("httponly", "samesite=strict", "path=/");
            assertThat(cookie).doesNotContain(TOKEN);
            String pair = cookie.substring(0, cookie.indexOf(';'));
            assertThat(get(h.url + "/api/flows", "Cookie", pair).statusCode()).isEqualTo(200);
            assertThat(get(h.url + "/api/flows", "Cookie", pair + "x").statusCode())
                    .isEqualTo(401);
            HttpResponse<String> foreign = http.send(
                    HttpRequest.newBuilder(URI.create(h.url + "/login"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("Origin", "http://evil.example")
                            .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(foreign.statusCode()).isEqualTo(403);
        }
    }

    private HttpResponse<String> login(AdminHarness h, String token) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(h.url + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + token))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutATokenFileOneIsGeneratedNextToTheCaWithMode0600() throws Exception {
        try (AdminHarness h = new AdminHarness(Map.of("admin.listen", "0.0.0.0:0"), null, dir)) {
            Path generated = dir.resolve("admin-token");
            assertThat(h.admin.tokenFile()).isEqualTo(generated.toString());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(generated)))
                    .isEqualTo("rw-------");
            String token = Files.readString(generated).strip();
            assertThat(token).hasSizeGreaterThanOrEqualTo(32);
            assertThat(get(h.url + "/api/flows", "Authorization", "Bearer " + token)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(get(h.url + "/api/flows").statusCode()).isEqualTo(401);
        }
        // a restart keeps the same token
        String first = Files.readString(dir.resolve("admin-token"));
        try (AdminHarness again = new AdminHarness(Map.of("admin.listen", "0.0.0.0:0"), null, dir)) {
            assertThat(Files.readString(dir.resolve("admin-token"))).isEqualTo(first);
        }
    }

    @Test
    void aTokenFileWithAShortTokenIsRefusedNamingTheFile() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("short"), "abc\n");
        assertThatThrownBy(() -> new AdminHarness(
                                Map.of("admin.listen", "0.0.0.0:0", "admin.tokenFile", tokenFile.toString()), null, dir)
                        .close())
                .hasMessageContaining(tokenFile.toString())
                .hasMessageContaining("at least 16 characters");
    }

    @Test
    void readyzSaysWhyTheProxyIsNotReadyWhileHealthzStillAnswers() throws Exception {
        try (AdminHarness h = new AdminHarness(Map.of(), null, dir)) { // interception on, but no CA given
            HttpResponse<String> ready = get(h.url + "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("not ready", "no CA is loaded");
            assertThat(get(h.url + "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(h.url + "/ca.pem").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void theEventStreamRefusesAForeignOrigin() throws Exception {
        try (AdminHarness h = new AdminHarness(Map.of(), null, dir)) {
            HttpResponse<String> foreign = get(h.url + "/api/events", "Origin", "http://evil.example");
            assertThat(foreign.statusCode()).isEqualTo(403);
            assertThat(foreign.body()).contains("another origin");
            HttpResponse<InputStream> same = http.send(
                    HttpRequest.newBuilder(URI.create(h.url + "/api/events"))
                            .header("Origin", h.url)
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(same.statusCode()).isEqualTo(200);
            same.body().close();
        }
    }

    /** The status line for a request written byte for byte (the JDK client will not send a foreign Host). */
    private static String rawStatus(String url, String request) throws Exception {
        URI u = URI.create(url);
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return head;
        }
    }
}
