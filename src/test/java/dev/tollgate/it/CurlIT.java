package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The real curl binary, configured only through proxy environment variables, as a cluster sets them. */
class CurlIT {

    @Test
    void httpProxyVariablesSendRequestsThroughAndNoProxySkipsIt() throws Exception {
        try (TestOrigin origin = new TestOrigin();
                ProxyHarness proxy = ProxyHarness.start()) {
            Map<String, String> env = Map.of(
                    "http_proxy",
                    proxy.url(),
                    "HTTP_PROXY",
                    proxy.url(),
                    "https_proxy",
                    proxy.url(),
                    "no_proxy",
                    "",
                    "NO_PROXY",
                    "");
            Curl.Result through = Curl.run(env, "-D", "-", origin.url("/bytes/10"));
            assertThat(through.exit()).as(through.stderr()).isZero();
            assertThat(through.stdout()).containsIgnoringCase("via: 1.1 tollgate");
            assertThat(proxy.nextFlow().url()).isEqualTo(origin.url("/bytes/10"));

            Map<String, String> bypass = Map.of("http_proxy", proxy.url(), "no_proxy", "127.0.0.1,localhost,.svc");
            Curl.Result direct = Curl.run(bypass, "-D", "-", origin.url("/bytes/10"));
            assertThat(direct.exit()).isZero();
            assertThat(direct.stdout()).doesNotContainIgnoringCase("via:");
            // a last request through the proxy: every flow the bypassed one might have left ends before it
            Curl.Result marker = Curl.run(env, "-o", "/dev/null", origin.url("/bytes/1?marker"));
            assertThat(marker.exit()).as(marker.stderr()).isZero();
            assertThat(proxy.flowsThrough(f -> f.url().endsWith("?marker"), "the marker request"))
                    .extracting(FlowRecord::url)
                    .containsExactly(origin.url("/bytes/1?marker"));
        }
    }

    @Test
    void curlUploadsWithExpectContinueAndChunkedBodies() throws Exception {
        try (TestOrigin origin = new TestOrigin();
                ProxyHarness proxy = ProxyHarness.start()) {
            Map<String, String> env = Map.of("http_proxy", proxy.url());
            Path body = Files.createTempFile("tollgate-body", ".bin");
            Files.writeString(body, "x".repeat(200_000));
            Curl.Result expect = Curl.run(
                    env, "-v", "-H", "Expect: 100-continue", "--data-binary", "@" + body, origin.url("/sha256"));
            assertThat(expect.exit()).as(expect.stderr()).isZero();
            assertThat(expect.stderr()).contains("HTTP/1.1 100");
            assertThat(expect.stdout()).endsWith(" 200000");

            Curl.Result chunked = Curl.run(
                    env, "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + body, origin.url("/sha256"));
            Files.delete(body);
            assertThat(chunked.stdout()).isEqualTo(expect.stdout());
        }
    }

    @Test
    void curlTunnelsThroughConnect() throws Exception {
        try (RawOrigin echo = TunnelIT.echoThenBye();
                ProxyHarness proxy = ProxyHarness.start(Map.of("intercept", "false"))) {
            // curl's telnet-free way to open a raw tunnel: --proxytunnel with a plain http:// URL
            Curl.Result r = Curl.run(
                    Map.of(),
                    "--proxytunnel",
                    "-x",
                    proxy.url(),
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_connect}",
                    "http://127.0.0.1:" + echo.port() + "/");
            assertThat(r.stdout()).isEqualTo("200");
            assertThat(proxy.nextFlow().mode()).isEqualTo(FlowMode.TUNNEL);
        }
    }
}
