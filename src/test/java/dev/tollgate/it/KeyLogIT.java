package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.flow.FlowRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --tls-keylog}: both legs' secrets in the NSS key log format, checked against the two
 * ends' own key logs: curl's {@code SSLKEYLOGFILE} for the client leg, {@code openssl s_server
 * -keylogfile} for the upstream leg. Same client randoms, same secrets, line for line.
 */
class KeyLogIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Set<String> TLS13_LABELS = Set.of(
            "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
            "SERVER_HANDSHAKE_TRAFFIC_SECRET",
            "CLIENT_TRAFFIC_SECRET_0",
            "SERVER_TRAFFIC_SECRET_0",
            "EXPORTER_SECRET");

    private InterceptFixture pki;
    private Path keyLog;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(onPath("openssl"), "openssl is not installed: no origin that writes its own key log");
        pki = new InterceptFixture();
        keyLog = pki.dir.resolve("tollgate-keys.txt");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (pki != null) {
            pki.close();
        }
    }

    @Test
    void tls13BothLegsMatchCurlsAndTheOriginsOwnKeyLogs() throws Exception {
        try (OpensslOrigin origin = new OpensslOrigin(pki.originPki.server(List.of("origin.test")), pki.dir);
                ProxyHarness proxy = proxyWithKeyLog()) {
            Path curlLog = curlThrough(proxy, origin, "--tlsv1.3");

            Set<String> client = secrets(curlLog);
            Set<String> upstream = secrets(origin.keyLog);
            assertThat(labels(client)).as("curl's lines").containsAll(TLS13_LABELS);
            assertThat(labels(upstream)).as("s_server's lines").containsAll(TLS13_LABELS);
            assertThat(randoms(client)).as("two legs, two handshakes").doesNotContainAnyElementsOf(randoms(upstream));
            Set<String> ours = awaitLines(client, upstream);
            assertThat(ours).containsAll(client).containsAll(upstream);

            FlowRecord f = proxy.awaitFlow(r -> r.url() != null && r.url().startsWith("https://"), "the GET");
            assertThat(f.keyLog()).isTrue();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyLog)))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void tls12LegsAreLoggedAsClientRandomLines() throws Exception {
        try (OpensslOrigin origin =
                        new OpensslOrigin(pki.originPki.server(List.of("origin.test")), pki.dir, "-tls1_2");
                ProxyHarness proxy = proxyWithKeyLog()) {
            Path curlLog = curlThrough(proxy, origin, "--tls-max", "1.2");

            Set<String> client = secrets(curlLog);
            Set<String> upstream = secrets(origin.keyLog);
            assertThat(labels(client)).containsExactly("CLIENT_RANDOM");
            assertThat(labels(upstream)).containsExactly("CLIENT_RANDOM");
            assertThat(awaitLines(client, upstream)).containsAll(client).containsAll(upstream);
        }
    }

    @Test
    void aRestartAppendsAndNeverTruncates() throws Exception {
        Files.writeString(keyLog, "# kept from an earlier run\n");
        Files.setPosixFilePermissions(keyLog, PosixFilePermissions.fromString("rw-------"));
        try (OpensslOrigin origin = new OpensslOrigin(pki.originPki.server(List.of("origin.test")), pki.dir);
                ProxyHarness proxy = proxyWithKeyLog()) {
            Path curlLog = curlThrough(proxy, origin);
            awaitLines(secrets(curlLog), Set.of());
        }
        assertThat(Files.readAllLines(keyLog).get(0)).isEqualTo("# kept from an earlier run");
    }

    private ProxyHarness proxyWithKeyLog() throws Exception {
        return ProxyHarness.startWithCa(
                Map.of(
                        "upstreamTrust", pki.originCaPem.toString(),
                        "hosts", "origin.test=127.0.0.1",
                        "tls.keylog", keyLog.toString()),
                pki.tollgateCa);
    }

    private Path curlThrough(ProxyHarness proxy, OpensslOrigin origin, String... tls) throws Exception {
        Path curlLog = pki.dir.resolve("curl-keys-" + System.nanoTime() + ".txt");
        List<String> args = new ArrayList<>(
                List.of("--cacert", pki.tollgateCaPem.toString(), "-o", "/dev/null", "-w", "%{http_code}"));
        args.addAll(List.of(tls));
        args.add("https://origin.test:" + origin.port() + "/");
        Curl.Result r = Curl.run(
                Map.of("https_proxy", proxy.url(), "SSLKEYLOGFILE", curlLog.toString()), args.toArray(String[]::new));
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("200");
        assumeTrue(!secrets(curlLog).isEmpty(), "this curl does not write SSLKEYLOGFILE");
        return curlLog;
    }

    /** Polls Tollgate's key log (its writer is a thread of its own) until both sets are in it. */
    private Set<String> awaitLines(Set<String> client, Set<String> upstream) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Set<String> ours = Set.of();
        while (System.nanoTime() < deadline) {
            ours = secrets(keyLog);
            if (ours.containsAll(client) && ours.containsAll(upstream)) {
                return ours;
            }
            Thread.sleep(20);
        }
        return ours;
    }

    /** The NSS key log lines of a file, comments left out. */
    private static Set<String> secrets(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Set.of();
        }
        return Files.readAllLines(file).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .collect(Collectors.toSet());
    }

    private static Set<String> labels(Set<String> lines) {
        return lines.stream().map(l -> l.split(" ")[0]).collect(Collectors.toSet());
    }

    private static Set<String> randoms(Set<String> lines) {
        return lines.stream().map(l -> l.split(" ")[1]).collect(Collectors.toSet());
    }

    private static boolean onPath(String tool) {
        return Files.isExecutable(Path.of("/usr/bin", tool)) || Files.isExecutable(Path.of("/bin", tool));
    }
}
