package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.ProxyConfig;
import dev.tollgate.flow.Flows;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the composition root offers other listeners (the admin listener): readiness and counts. */
class ProxyServerTest {
    @TempDir
    Path dir;

    private ProxyConfig config(Map<String, Object> settings) throws Exception {
        return ConfigLoader.load(Files.writeString(dir.resolve("tollgate.yaml"), ""), Map.of(), settings);
    }

    @Test
    void readyOnceListeningWithEventLoopsThatAnswer() throws Exception {
        ProxyConfig c = config(Map.of("listen", "127.0.0.1:0", "intercept", "false"));
        try (ProxyServer server = new ProxyServer(c, null, new Flows(List.of(f -> {})))) {
            server.start();
            Readiness r = server.readiness(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            assertThat(r.listening()).isTrue();
            assertThat(r.loopsAnswer()).isTrue();
            assertThat(r.ready()).isTrue();
            assertThat(server.caCertificate()).isNull();
        }
    }

    @Test
    void notReadyWhenInterceptionIsConfiguredButNoCaIsLoaded() throws Exception {
        ProxyConfig c = config(Map.of("listen", "127.0.0.1:0"));
        try (ProxyServer server = new ProxyServer(c, null, new Flows(List.of(f -> {})))) {
            server.start();
            Readiness r = server.readiness(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            assertThat(r.caLoaded()).isFalse();
            assertThat(r.ready()).isFalse();
        }
    }

    @Test
    void countsOpenClientConnections() throws Exception {
        ProxyConfig c = config(Map.of("listen", "127.0.0.1:0", "intercept", "false"));
        try (ProxyServer server = new ProxyServer(c, null, new Flows(List.of(f -> {})))) {
            int port = server.start().getPort();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (server.openConnections() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(server.openConnections()).isEqualTo(1);
                assertThat(server.openTunnels()).isZero();
            }
        }
    }
}
