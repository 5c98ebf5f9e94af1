package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scale-out for real: two Tollgate jars sharing one CA behind Debian's HAProxy in TCP mode
 * (scripts/haproxy/tollgate.cfg, health checks on each admin /readyz), on loopback. Leaves from
 * either instance chain to the one CA, new connections spread over both, one instance stopped
 * (SIGKILL, a crash with no drain to lean on; or SIGTERM, a graceful stop that drains) loses no
 * new request, and the two JSON flow logs merge into one stream with scripts/merge-flows.
 */
class ScaleOutIT {
    private static final int REQUESTS_PER_PHASE = 20;
    private static final Path JAR = Path.of("target/tollgate.jar");

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "one instance stopped with SIG{0}")
    @ValueSource(strings = {"KILL", "TERM"})
    void twoInstancesBehindHaproxyShareTheCaSpreadTheLoadSurviveAStopAndMergeTheirFlows(String signal)
            throws Exception {
        Path haproxy = haproxy();
        assumeTrue(haproxy != null, "haproxy is not installed (apt-get install haproxy; .ci/run does)");
        assumeTrue(Files.isRegularFile(JAR), "target/tollgate.jar is missing: run mvn package first");
        TestPki originPki = new TestPki("Origin Test CA");
        Path originCa = originPki.writeCaPem(dir.resolve("origin-ca.pem"));
        try (TlsOrigin origin = new TlsOrigin(originPki.server(List.of("origin.test")), "origin")) {
            int[] ports = freePorts(5);
            Instance a = startInstance("a", ports[0], ports[1], originCa);
            awaitReady(a);
            Instance b = startInstance("b", ports[2], ports[3], originCa); // the CA a created: one CA
            awaitReady(b);
            startHaproxy(haproxy, ports[4], a, b);
            X509Certificate ca = caCertificate();

            List<String> before = requests("before", ports[4], origin.port(), ca);
            await("flows of both instances")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !flowUrls(a, "before").isEmpty()
                            && !flowUrls(b, "before").isEmpty());

            if (signal.equals("KILL")) {
                b.process.destroyForcibly(); // its listener and admin port vanish at once
                assertThat(b.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            } else {
                b.process.destroy(); // the listener closes at once, open connections drain
            }
            List<String> after = requests("after", ports[4], origin.port(), ca);
            if (signal.equals("TERM")) {
                assertThat(b.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(b.process.exitValue()).isEqualTo(143); // the JVM's status after SIGTERM and its hooks
                assertThat(Files.readString(dir.resolve("b.err"))).contains("shutting down: draining");
            }

            assertThat(before).hasSize(REQUESTS_PER_PHASE).allMatch(body -> body.startsWith("hello from origin"));
            assertThat(after).hasSize(REQUESTS_PER_PHASE).allMatch(body -> body.startsWith("hello from origin"));
            await("HAProxy marks b down")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.readString(dir.resolve("haproxy.log")).contains("tollgate/b is DOWN"));
            // a SIGTERMed instance may still take a connection or two before its listener closes
            // (and logs them as it drains); a SIGKILLed one takes none
            await("the flows of the requests after the stop")
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() ->
                            flowUrls(a, "after").size() + flowUrls(b, "after").size() == REQUESTS_PER_PHASE);
            if (signal.equals("KILL")) {
                assertThat(flowUrls(b, "after")).isEmpty();
            }
            assertThat(flowUrls(a, "before").size() + flowUrls(b, "before").size())
                    .isEqualTo(REQUESTS_PER_PHASE);
            assertMerged(a, b);
        }
    }

    /** One new connection per request (a new client each), through the balancer; each body. */
    private List<String> requests(String phase, int balancer, int originPort, X509Certificate ca) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < REQUESTS_PER_PHASE; i++) {
            HttpClient client = HttpClient.newBuilder()
                    .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", balancer)))
                    .sslContext(InterceptFixture.trusting(ca))
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(URI.create("https://origin.test:" + originPort + "/" + phase + "-" + i))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            X509Certificate leaf =
                    (X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0];
            assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
            leaf.verify(ca.getPublicKey()); // signed by the one CA, whichever instance forged it
            bodies.add(r.body());
        }
        return bodies;
    }

    /** The merged stream: every flow of both logs once, in time order, each naming its instance. */
    private void assertMerged(Instance a, Instance b) throws Exception {
        Process merge = new ProcessBuilder(
                        "python3",
                        Path.of("scripts/merge-flows").toAbsolutePath().toString(),
                        a.flows.toString(),
                        b.flows.toString())
                .redirectError(dir.resolve("merge.err").toFile())
                .start();
        List<String> lines =
                new String(merge.getInputStream().readAllBytes()).lines().toList();
        assertThat(merge.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(merge.exitValue()).isZero();
        List<JsonNode> flows = new ArrayList<>();
        for (String line : lines) {
            flows.add(json.readTree(line));
        }
        assertThat(flows).hasSize(records(a).size() + records(b).size());
        assertThat(flows).extracting(f -> f.get("instance").asText()).contains("a", "b");
        assertThat(flows)
                .extracting(f -> OffsetDateTime.parse(f.get("@timestamp").asText()))
                .isSortedAccordingTo(OffsetDateTime::compareTo);
    }

    private Instance startInstance(String name, int port, int adminPort, Path originCa) throws Exception {
        Path flows = dir.resolve(name + ".jsonl");
        Process p = new ProcessBuilder(
                        "java",
                        "-jar",
                        JAR.toAbsolutePath().toString(),
                        "run",
                        "--config",
                        Files.writeString(dir.resolve("empty.yaml"), "").toString(),
                        "--listen",
                        "127.0.0.1:" + port,
                        "--admin",
                        "127.0.0.1:" + adminPort,
                        "--certs-dir",
                        dir.resolve("certs").toString(),
                        "--upstream-trust",
                        originCa.toString(),
                        "--hosts",
                        "origin.test=127.0.0.1",
                        "--flow-log",
                        "json",
                        "--instance-name",
                        name)
                .redirectOutput(flows.toFile())
                .redirectError(dir.resolve(name + ".err").toFile())
                .start();
        started.add(p);
        return new Instance(name, port, adminPort, p, flows);
    }

    private void startHaproxy(Path haproxy, int bind, Instance a, Instance b) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                        haproxy.toString(),
                        "-db", // foreground
                        "-f",
                        Path.of("scripts/haproxy/tollgate.cfg").toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile());
        pb.environment()
                .putAll(Map.of(
                        "TG_LB_BIND",
                        "127.0.0.1:" + bind,
                        "TG_A",
                        "127.0.0.1:" + a.port,
                        "TG_A_ADMIN",
                        String.valueOf(a.adminPort),
                        "TG_B",
                        "127.0.0.1:" + b.port,
                        "TG_B_ADMIN",
                        String.valueOf(b.adminPort),
                        "TG_CHECK_INTER",
                        "300ms"));
        started.add(pb.start());
        await("HAProxy listening on " + bind)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> {
                    new Socket("127.0.0.1", bind).close();
                    return true;
                });
    }

    private static void awaitReady(Instance i) {
        HttpClient direct = HttpClient.newHttpClient();
        await(i.name + " ready on its admin /readyz")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> direct.send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://127.0.0.1:" + i.adminPort + "/readyz"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode()
                        == 200);
    }

    private X509Certificate caCertificate() throws Exception {
        byte[] pem = Files.readAllBytes(dir.resolve("certs").resolve("ca.pem"));
        return (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    }

    private List<JsonNode> records(Instance i) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(i.flows)) {
            if (line.startsWith("{")) {
                out.add(json.readTree(line));
            }
        }
        return out;
    }

    /** The URLs of {@code phase}'s requests in an instance's flow log, each checked to name the instance. */
    private List<String> flowUrls(Instance i, String phase) throws Exception {
        List<String> urls = new ArrayList<>();
        for (JsonNode f : records(i)) {
            String url = f.path("url").asText();
            if (url.contains("/" + phase + "-")) {
                assertThat(f.get("instance").asText()).isEqualTo(i.name);
                assertThat(f.get("mode").asText()).isEqualTo("intercept");
                urls.add(url);
            }
        }
        return urls;
    }

    /** Debian installs it in /usr/sbin, which a non-root PATH may lack. */
    private static Path haproxy() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin";
        for (String d : path.split(":")) {
            Path candidate = Path.of(d.isEmpty() ? "." : d, "haproxy");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static int[] freePorts(int n) throws Exception {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }

    private record Instance(String name, int port, int adminPort, Process process, Path flows) {}
}
