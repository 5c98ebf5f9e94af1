package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.FlowRecord;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * In-cluster names sent to the proxy (the noProxy entry a cluster forgot): the 502 names the
 * entry to add, on plain HTTP, a blind CONNECT and one that would be intercepted; the flow carries
 * it, the viewer's advice says it, and the metric counts it by entry.
 *
 * <p>No lookup here leaves the machine: the proxy resolves through {@link TestDns} (the names
 * of {@code test-hosts}, nothing else), and this JVM's own resolver reads the same file
 * ({@code -Djdk.net.hosts.file} in pom.xml), checked before anything else runs.
 */
class InClusterAdviceIT {
    private static InterceptFixture pki;
    private static AdminHarness h;

    @BeforeAll
    static void start() throws Exception {
        String hostsFile = System.getProperty("jdk.net.hosts.file");
        assertThat(hostsFile)
                .as("the JDK resolver must read a hosts file, or these names would go to the DNS servers of "
                        + "/etc/resolv.conf, off this machine")
                .isNotNull();
        assertThat(Files.readString(Path.of(hostsFile))).doesNotContain("konnectivity", ".svc", "cluster.local");
        pki = new InterceptFixture();
        // .svc tunnelled blind: its CONNECT is answered by the tunnel path, not the intercepting one
        h = new AdminHarness(Map.of("passthrough", ".svc"), pki.tollgateCa, pki.dir);
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
        pki.close();
    }

    @Test
    void thisJvmResolvesFromTheHostsFileAlone() {
        long t0 = System.nanoTime();
        for (String name : List.of("konnectivity", "kube-dns.kube-system.svc", "x.svc.cluster.local")) {
            try {
                InetAddress.getAllByName(name);
                throw new AssertionError(name + " resolved");
            } catch (UnknownHostException expected) {
                // from the hosts file: no query was sent
            }
        }
        assertThat((System.nanoTime() - t0) / 1_000_000)
                .as("ms for three failed lookups")
                .isLessThan(1000);
    }

    @Test
    void plainHttpToADotlessNameNamesTheNameItself() throws Exception {
        Curl.Result r = curl("-x", h.proxy.url(), "http://konnectivity/healthz");
        assertThat(r.stdout())
                .endsWith("\n502")
                .contains("unknown host konnectivity (DNS lookup failed): it looks like an in-cluster or private name: "
                        + "add konnectivity to noProxy (and to the cluster's httpProxyConfig)");
        FlowRecord f = h.proxy.awaitFlow(
                x -> "http://konnectivity/healthz".equals(x.url()) && x.ended(), "the request for konnectivity");
        assertThat(f.status()).isEqualTo(502);
        assertThat(f.noProxyAdvice()).isEqualTo("konnectivity");
        assertThat(f.error()).contains("add konnectivity to noProxy");
    }

    @Test
    void aConnectToASvcNameIsRefusedWithTheEntry() throws Exception {
        try (ProxySocket s = new ProxySocket(h.proxy.port())) {
            s.send("CONNECT kube-dns.kube-system.svc:443 HTTP/1.1\r\nHost: kube-dns.kube-system.svc:443\r\n\r\n");
            String answer = s.readToEnd();
            assertThat(answer)
                    .startsWith("HTTP/1.1 502")
                    .contains("add .svc to noProxy (and to the cluster's httpProxyConfig)");
        }
        FlowRecord f = h.proxy.awaitFlow(
                x -> "kube-dns.kube-system.svc:443".equals(x.url()), "the CONNECT to kube-dns.kube-system.svc");
        assertThat(f.noProxyAdvice()).isEqualTo(".svc");
    }

    @Test
    void anInterceptedConnectForAClusterLocalNameIsRefusedBeforeTheTunnel() throws Exception {
        // the proxy resolves before it answers the CONNECT, so curl sees the 502 on the CONNECT itself
        Curl.Result r =
                curl("-x", h.proxy.url(), "--cacert", pki.tollgateCaPem.toString(), "https://x.svc.cluster.local/");
        assertThat(r.stderr()).contains("CONNECT tunnel failed, response 502");
        FlowRecord f = h.proxy.awaitFlow(
                x -> "x.svc.cluster.local:443".equals(x.url()) && x.ended(), "the CONNECT to x.svc.cluster.local");
        assertThat(f.noProxyAdvice()).isEqualTo(".cluster.local");
        assertThat(f.error()).contains("add .cluster.local to noProxy (and to the cluster's httpProxyConfig)");
        assertThat(h.get("/api/flows/" + f.id()).body())
                .contains("\"noProxyAdvice\":\".cluster.local\"")
                .contains("The name looks in-cluster or private and does not resolve on the proxy host: add "
                        + ".cluster.local to noProxy");
    }

    @Test
    void aPublicNameThatFailsDnsGetsNoInClusterAdvice() throws Exception {
        Curl.Result r = curl("-x", h.proxy.url(), "http://nonexistent.example/");
        assertThat(r.stdout()).endsWith("\n502").contains("unknown host nonexistent.example (DNS lookup failed)");
        assertThat(r.stdout()).doesNotContain("noProxy");
        FlowRecord f =
                h.proxy.awaitFlow(x -> "http://nonexistent.example/".equals(x.url()) && x.ended(), "the public name");
        assertThat(f.noProxyAdvice()).isNull();
    }

    @Test
    void theMetricCountsByEntryNotByName() throws Exception {
        curl("-x", h.proxy.url(), "http://metrics-probe/");
        h.proxy.awaitFlow(x -> "http://metrics-probe/".equals(x.url()) && x.ended(), "the dotless probe");
        String m = h.get("/metrics").body();
        assertThat(value(m, "tollgate_in_cluster_names_total{entry=\"dotless\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(m)
                .contains("tollgate_in_cluster_names_total{entry=\".svc\"}")
                .contains("tollgate_in_cluster_names_total{entry=\".privatelink.*\"} 0")
                .doesNotContain("metrics-probe");
    }

    private static Curl.Result curl(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "-w";
        all[1] = "\n%{http_code}";
        System.arraycopy(args, 0, all, 2, args.length);
        return Curl.run(Map.of(), all);
    }

    private static double value(String metrics, String series) {
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(series + " in\n" + metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
