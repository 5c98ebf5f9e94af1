package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.ProxyConfig;
import dev.tollgate.flow.Flows;
import dev.tollgate.server.ProxyServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reload changes what new requests are allowed, keeps open connections, and refuses a bad file. */
class ConfigReloaderIT {
    @TempDir
    Path dir;

    private static String ask(int port, String request) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void reloadAppliesNewAclKeepsTunnelsAndRefusesBadFiles() throws Exception {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, "listen: 127.0.0.1:0\nintercept: false\n");
        ProxyConfig cfg = ConfigLoader.load(file, Map.of(), Map.of());
        try (ServerSocket echo = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread echoer = new Thread(() -> {
                try (Socket c = echo.accept()) {
                    c.getInputStream().transferTo(c.getOutputStream());
                } catch (Exception ignored) {
                    // test over
                }
            });
            echoer.setDaemon(true);
            echoer.start();
            ProxyServer server = new ProxyServer(cfg, null, new Flows(List.of()));
            int port = server.start().getPort();
            try (Socket tunnel = new Socket(InetAddress.getLoopbackAddress(), port)) {
                tunnel.setSoTimeout(5000);
                OutputStream out = tunnel.getOutputStream();
                InputStream in = tunnel.getInputStream();
                out.write(("CONNECT 127.0.0.1:" + echo.getLocalPort() + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(in.readNBytes(39), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");

                ConfigReloader reloader = new ConfigReloader(file, Map.of(), Map.of(), server, cfg);
                Files.writeString(file, "listen: 127.0.0.1:0\nintercept: false\nallowClients: [10.0.0.0/8]\n");
                assertThat(reloader.reload("test")).isTrue();
                assertThat(ask(port, "GET http://127.0.0.1:1/ HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 403");

                out.write("still here".getBytes(StandardCharsets.US_ASCII)); // the tunnel opened before the reload
                assertThat(new String(in.readNBytes(10), StandardCharsets.US_ASCII)).isEqualTo("still here");

                Files.writeString(file, "listen: 127.0.0.1:0\nallowClients: [10.0.0.0/33]\n");
                assertThat(reloader.reload("test")).isFalse();
                assertThat(ask(port, "GET http://127.0.0.1:1/ HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 403");

                Files.writeString(file, "listen: 127.0.0.1:0\nintercept: false\n");
                assertThat(reloader.reload("test")).isTrue();
                assertThat(ask(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
            } finally {
                server.stop(Duration.ofSeconds(1));
            }
        }
    }
}
