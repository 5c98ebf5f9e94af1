package dev.tollgate.it;

import dev.tollgate.admin.AdminParts;
import dev.tollgate.admin.AdminServer;
import dev.tollgate.ca.CertificateAuthority;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.ProxyConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real proxy with its admin listener on an ephemeral port, wired as {@code run} wires them
 * (flow sinks, connection gauge, flow-log drops, leaf events, readiness).
 */
final class AdminHarness implements AutoCloseable {
    final ProxyHarness proxy;
    final AdminServer admin;
    final AdminParts parts;
    final String url;
    private final HttpClient direct =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AdminHarness(Map<String, Object> settings, CertificateAuthority ca, Path certsDir) throws Exception {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("admin.listen", "127.0.0.1:0");
        all.putAll(settings);
        Path empty = Files.createTempFile("tollgate-test", ".yaml");
        ProxyConfig config = ConfigLoader.load(empty, Map.of(), all);
        Files.delete(empty);
        parts = AdminParts.create(config.admin());
        proxy = ProxyHarness.startWith(all, ca, parts.sinks());
        parts.metrics().connections(proxy.server()::openConnections);
        parts.metrics().tunnels(proxy.server()::openTunnels);
        parts.metrics().flowLogDrops(proxy.flowLog()::dropped);
        proxy.server().observeLeaves(parts.metrics());
        parts.metrics()
                .autoPassthrough(
                        proxy.server().autoPassthrough()::entered,
                        () -> proxy.server().autoPassthrough().hosts().size());
        admin = new AdminServer(
                config.admin(),
                certsDir,
                ca,
                deadline -> proxy.server().readiness(deadline).thenApply(r -> r.problems()),
                parts,
                proxy.server().autoPassthrough());
        var bound = admin.start();
        url = "http://127.0.0.1:" + bound.getPort();
    }

    /** A GET straight to the admin listener (never through the proxy). */
    HttpResponse<String> get(String path) throws Exception {
        return direct.send(
                HttpRequest.newBuilder(URI.create(url + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        admin.stop();
        proxy.close();
    }
}
