package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may use the proxy (Basic credentials from htpasswd) and where traffic may go (egress policy). */
class AccessIT {
    @TempDir
    Path dir;

    private Path htpasswd() throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        String bcrypt = OpenBSDBCrypt.generate("2y", "s3cret-b".toCharArray(), salt, 4);
        String sha = "{SHA}"
                + Base64.getEncoder()
                        .encodeToString(MessageDigest.getInstance("SHA-1").digest("s3cret-s".getBytes()));
        Path f = dir.resolve("htpasswd");
        Files.write(f, List.of("# users", "alice:" + bcrypt, "bob:" + sha));
        return f;
    }

    @Test
    void basicCredentialsAreRequiredCheckedAndNeverLogged() throws Exception {
        try (TestOrigin origin = new TestOrigin();
                ProxyHarness proxy =
                        ProxyHarness.start(Map.of("proxyAuthFile", htpasswd().toString()))) {
            Curl.Result none = Curl.run(Map.of(), "-x", proxy.url(), "-D", "-", origin.url("/bytes/3"));
            assertThat(none.stdout())
                    .startsWith("HTTP/1.1 407")
                    .containsIgnoringCase("proxy-authenticate: Basic realm=\"tollgate\"");
            for (String userPass : List.of("alice:s3cret-b", "bob:s3cret-s")) {
                Curl.Result ok =
                        Curl.run(Map.of(), "-x", proxy.url(), "--proxy-user", userPass, "-D", "-", origin.url("/echo"));
                assertThat(ok.stdout())
                        .as(userPass)
                        .startsWith("HTTP/1.1 200")
                        .doesNotContainIgnoringCase("x-got-proxy-authorization");
            }
            Curl.Result wrong =
                    Curl.run(Map.of(), "-x", proxy.url(), "--proxy-user", "alice:nope", "-D", "-", origin.url("/"));
            assertThat(wrong.stdout()).startsWith("HTTP/1.1 407").contains("wrong user name or password");
            Curl.Result tunnel = Curl.run(
                    Map.of(),
                    "-x",
                    proxy.url(),
                    "--proxytunnel",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_connect}",
                    origin.url("/bytes/3"));
            assertThat(tunnel.stdout()).isEqualTo("407");
            for (FlowRecord f : proxy.nextFlows(5)) {
                assertThat(String.valueOf(f.error()) + f.url())
                        .doesNotContain("s3cret")
                        .doesNotContain("nope");
            }
        }
    }

    /**
     * A bcrypt check runs off the event loop; bytes the client sent right behind its CONNECT
     * (here ones the HTTP decoder would take for a request of their own) must still reach the
     * origin once the credentials are accepted, and never when they are refused.
     */
    @Test
    void bytesRightBehindAConnectWaitingForItsCredentialsCheckAreKept() throws Exception {
        String early = "PING\r\n\r\n";
        try (RawOrigin origin = TunnelIT.echoThenBye();
                ProxyHarness proxy = ProxyHarness.start(
                        Map.of("intercept", "false", "proxyAuthFile", htpasswd().toString()))) {
            String connect = "CONNECT 127.0.0.1:" + origin.port() + " HTTP/1.1\r\nProxy-Authorization: Basic ";
            try (ProxySocket s = new ProxySocket(proxy.port())) {
                s.send(connect + basic("alice:s3cret-b") + "\r\n\r\n" + early);
                assertThat(s.readHead()).startsWith("HTTP/1.1 200");
                assertThat(s.readBytes(early.length())).isEqualTo(early);
            }
            try (ProxySocket s = new ProxySocket(proxy.port())) {
                s.send(connect + basic("alice:wrong") + "\r\n\r\n" + early);
                assertThat(s.readToEnd())
                        .startsWith("HTTP/1.1 407")
                        .containsIgnoringCase("Proxy-Authenticate: Basic realm=\"tollgate\"")
                        .doesNotContain("PING");
            }
        }
    }

    private static String basic(String userPass) {
        return Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void egressDenyListBlocksCidrsNamesAndWhatNamesResolveTo() throws Exception {
        try (TestOrigin origin = new TestOrigin();
                ProxyHarness proxy = ProxyHarness.start(Map.of(
                        "egress.deny",
                        List.of("169.254.169.254", "blocked.test"),
                        "hosts",
                        "metadata.test=169.254.169.254,blocked.test=127.0.0.1,origin.test=127.0.0.1"))) {
            for (String target : List.of(
                    "http://169.254.169.254/latest/meta-data/",
                    "http://blocked.test:" + origin.port() + "/",
                    "http://metadata.test/latest/meta-data/")) {
                Curl.Result r = Curl.run(Map.of(), "-x", proxy.url(), "-D", "-", target);
                assertThat(r.stdout())
                        .as(target)
                        .startsWith("HTTP/1.1 403")
                        .contains("egress policy")
                        .contains("rule:");
            }
            assertThat(proxy.nextFlows(3)).allSatisfy(f -> assertThat(f.mode()).isEqualTo(FlowMode.DENY));
            assertThat(Curl.run(
                                    Map.of(),
                                    "-x",
                                    proxy.url(),
                                    "-o",
                                    "/dev/null",
                                    "-w",
                                    "%{http_code}",
                                    "http://origin.test:" + origin.port() + "/bytes/1")
                            .stdout())
                    .isEqualTo("200");
        }
    }

    @Test
    void egressAllowListLetsOnlyListedTargetsAndPortsOut() throws Exception {
        try (TestOrigin origin = new TestOrigin();
                ProxyHarness proxy = ProxyHarness.start(Map.of(
                        "egress.mode",
                        "allow-list",
                        "egress.allow",
                        List.of(".allowed.test"),
                        "egress.ports",
                        List.of(String.valueOf(origin.port())),
                        "hosts",
                        "api.allowed.test=127.0.0.1,other.test=127.0.0.1"))) {
            assertThat(Curl.run(
                                    Map.of(),
                                    "-x",
                                    proxy.url(),
                                    "-o",
                                    "/dev/null",
                                    "-w",
                                    "%{http_code}",
                                    "http://api.allowed.test:" + origin.port() + "/bytes/1")
                            .stdout())
                    .isEqualTo("200");
            Curl.Result other =
                    Curl.run(Map.of(), "-x", proxy.url(), origin.url("/bytes/1").replace("127.0.0.1", "other.test"));
            assertThat(other.stdout()).startsWith("403").contains("not in allow-list");
            Curl.Result port = Curl.run(Map.of(), "-x", proxy.url(), "http://api.allowed.test:1/");
            assertThat(port.stdout()).startsWith("403").contains("port 1");
        }
    }
}
