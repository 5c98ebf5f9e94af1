package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.ca.CaGenerator;
import dev.tollgate.ca.KeyKind;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.ProxyConfig;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import dev.tollgate.flow.Flows;
import dev.tollgate.server.ProxyServer;
import java.io.IOException;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
                out.write(("CONNECT 127.0.0.1:" + echo.getLocalPort() + " HTTP/1.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(in.readNBytes(39), StandardCharsets.US_ASCII))
                        .startsWith("HTTP/1.1 200");

                ConfigReloader reloader = new ConfigReloader(file, Map.of(), Map.of(), server, false, cfg);
                List<Boolean> results = new CopyOnWriteArrayList<>();
                reloader.onResult(results::add);
                Files.writeString(file, "listen: 127.0.0.1:0\nintercept: false\nallowClients: [10.0.0.0/8]\n");
                assertThat(reloader.reload("test")).isTrue();
                assertThat(ask(port, "GET http://127.0.0.1:1/ HTTP/1.1\r\nHost: x\r\n\r\n"))
                        .startsWith("HTTP/1.1 403");

                out.write("still here".getBytes(StandardCharsets.US_ASCII)); // the tunnel opened before the reload
                assertThat(new String(in.readNBytes(10), StandardCharsets.US_ASCII))
                        .isEqualTo("still here");

                Files.writeString(file, "listen: 127.0.0.1:0\nallowClients: [10.0.0.0/33]\n");
                assertThat(reloader.reload("test")).isFalse();
                assertThat(ask(port, "GET http://127.0.0.1:1/ HTTP/1.1\r\nHost: x\r\n\r\n"))
                        .startsWith("HTTP/1.1 403");

                Files.writeString(file, "listen: 127.0.0.1:0\nintercept: false\n");
                assertThat(reloader.reload("test")).isTrue();
                assertThat(ask(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                        .startsWith("HTTP/1.1 200");
                assertThat(results).containsExactly(true, false, true); // what the reload metric counts
            } finally {
                server.stop(Duration.ofSeconds(1));
            }
        }
    }

    /** A CONNECT the client leaves right after the 200: the flow says how the proxy routed it. */
    private static FlowMode connectMode(int port, int target, BlockingQueue<FlowRecord> flows) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            s.getOutputStream()
                    .write(("CONNECT 127.0.0.1:" + target + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
                    .isEqualTo("HTTP/1.1 200");
        }
        FlowRecord f = flows.poll(5, TimeUnit.SECONDS);
        assertThat(f).as("the CONNECT's flow").isNotNull();
        return f.mode();
    }

    @Test
    void reloadTurnsInterceptionOffAndOnAgain() throws Exception {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, "listen: 127.0.0.1:0\nintercept: true\n");
        ProxyConfig cfg = ConfigLoader.load(file, Map.of(), Map.of());
        BlockingQueue<FlowRecord> flows = new LinkedBlockingQueue<>();
        ProxyServer server = new ProxyServer(
                cfg, CaGenerator.generate("Reload Test CA", KeyKind.EC256, 1), new Flows(List.of(flows::add)));
        try (ServerSocket target = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread closer = new Thread(() -> {
                while (!target.isClosed()) {
                    try {
                        target.accept().close(); // a tunnel's far end that hangs up: the tunnel's flow ends
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            closer.setDaemon(true);
            closer.start();
            int port = server.start().getPort();
            ConfigReloader reloader = new ConfigReloader(file, Map.of(), Map.of(), server, true, cfg);
            assertThat(connectMode(port, target.getLocalPort(), flows)).isEqualTo(FlowMode.INTERCEPT);

            Files.writeString(file, "listen: 127.0.0.1:0\nintercept: false\n");
            assertThat(reloader.reload("test")).isTrue();
            assertThat(connectMode(port, target.getLocalPort(), flows)).isEqualTo(FlowMode.TUNNEL);

            Files.writeString(file, "listen: 127.0.0.1:0\nintercept: true\n");
            assertThat(reloader.reload("test")).isTrue();
            assertThat(connectMode(port, target.getLocalPort(), flows)).isEqualTo(FlowMode.INTERCEPT);
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }
}
