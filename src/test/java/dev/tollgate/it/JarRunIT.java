package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as an operator runs it: a first start creates the CA in the certs
 * directory (keys 0600), flows come out as JSON lines on stdout with --flow-log json, and
 * SIGTERM drains and exits.
 */
class JarRunIT {
    @TempDir
    Path dir;

    @Test
    void firstStartCreatesTheCaAndJsonFlowLinesGoToStdout() throws Exception {
        int port;
        int adminPort;
        try (ServerSocket s = new ServerSocket(0);
                ServerSocket a = new ServerSocket(0)) {
            port = s.getLocalPort();
            adminPort = a.getLocalPort();
        }
        Path certs = dir.resolve("certs");
        Process p = new ProcessBuilder(
                        "java",
                        "-jar",
                        Path.of("target/tollgate.jar").toAbsolutePath().toString(),
                        "run",
                        "--config",
                        Files.writeString(dir.resolve("empty.yaml"), "").toString(),
                        "--listen",
                        "127.0.0.1:" + port,
                        "--certs-dir",
                        certs.toString(),
                        "--flow-log",
                        "json",
                        "--admin",
                        "127.0.0.1:" + adminPort)
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        try (TestOrigin origin = new TestOrigin();
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            waitForPort(port);
            Curl.Result r =
                    Curl.run(Map.of("http_proxy", "http://127.0.0.1:" + port), origin.url("/bytes/5?token=t0p"));
            assertThat(r.exit()).isZero();
            // bounded: a flow line that never comes fails here, not at the suite's time limit
            String line = CompletableFuture.supplyAsync(() -> {
                        try {
                            return out.readLine();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .get(30, TimeUnit.SECONDS);
            JsonNode flow = new ObjectMapper().readTree(line);
            assertThat(flow.get("method").asText()).isEqualTo("GET");
            assertThat(flow.get("url").asText()).isEqualTo(origin.url("/bytes/5?token=REDACTED"));
            assertThat(flow.get("status").asInt()).isEqualTo(200);
            assertThat(flow.get("bytesDown").asLong()).isEqualTo(5);
            assertThat(Files.getPosixFilePermissions(certs.resolve("ca.key"))).hasSize(2); // rw-------
            assertThat(Files.readString(dir.resolve("stderr.txt"))).contains("created a new CA in " + certs);
            // the admin listener of the real jar: announced, ready, and serving the CA it just created
            waitForPort(adminPort);
            String banner =
                    "admin listener (flow viewer, API, /metrics, /readyz, CA page) on http://127.0.0.1:" + adminPort;
            for (int i = 0;
                    i < 100 && !Files.readString(dir.resolve("stderr.txt")).contains(banner);
                    i++) {
                Thread.sleep(50);
            }
            assertThat(Files.readString(dir.resolve("stderr.txt"))).contains(banner);
            // logged before the admin banner: the effective connection limits, the total derived
            // from the open-file limit
            assertThat(Files.readString(dir.resolve("stderr.txt")))
                    .containsPattern("limits: maxConnections=[0-9]+ \\(auto, from the open-file limit [0-9]+: 2 per "
                            + "connection, [0-9]+ kept back\\) maxConnectionsPerClient=off");
            assertThat(Curl.run(Map.of(), "-fsS", "http://127.0.0.1:" + adminPort + "/readyz")
                            .stdout())
                    .isEqualTo("ready\n");
            assertThat(Curl.run(Map.of(), "-fsS", "http://127.0.0.1:" + adminPort + "/ca.pem")
                            .stdout())
                    .isEqualTo(Files.readString(certs.resolve("ca.pem")));
        } finally {
            p.destroy(); // SIGTERM: drain, then exit
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(dir.resolve("stderr.txt"))).contains("shutting down");
    }

    @Test
    void aFlowStillInTheBatchAtSigtermIsWrittenBeforeExit() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // the operator's logging file with an hour of flush delay: only the stop can write the flow
        String config = Files.readString(Path.of("config/logback.xml"));
        assertThat(config).contains("<flushDelayMillis>100</flushDelayMillis>");
        Path logback = Files.writeString(
                dir.resolve("logback.xml"),
                config.replace(
                        "<flushDelayMillis>100</flushDelayMillis>", "<flushDelayMillis>3600000</flushDelayMillis>"));
        Process p = new ProcessBuilder(
                        "java",
                        "-Dlogback.configurationFile=" + logback,
                        "-jar",
                        Path.of("target/tollgate.jar").toAbsolutePath().toString(),
                        "run",
                        "--config",
                        Files.writeString(dir.resolve("empty.yaml"), "").toString(),
                        "--listen",
                        "127.0.0.1:" + port,
                        "--certs-dir",
                        dir.resolve("certs").toString(),
                        "--admin",
                        "off")
                .redirectError(dir.resolve("stderr.txt").toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .start();
        try (TestOrigin origin = new TestOrigin()) {
            waitForPort(port);
            Curl.Result r = Curl.run(Map.of("http_proxy", "http://127.0.0.1:" + port), origin.url("/bytes/7?last=1"));
            assertThat(r.exit()).isZero();
        } finally {
            p.destroy(); // SIGTERM: drain, then exit
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(dir.resolve("stdout.txt")))
                .containsPattern("GET http://127.0.0.1:[0-9]+/bytes/7\\?last=1 forward .* 200 ");
    }

    private static void waitForPort(int port) {
        await("the proxy listening on " + port)
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    new Socket("127.0.0.1", port).close();
                    return true;
                });
    }
}
