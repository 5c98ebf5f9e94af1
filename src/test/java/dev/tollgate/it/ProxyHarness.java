package dev.tollgate.it;

import dev.tollgate.ca.CertificateAuthority;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.ProxyConfig;
import dev.tollgate.flow.FlowLogSink;
import dev.tollgate.flow.FlowRecord;
import dev.tollgate.flow.FlowSink;
import dev.tollgate.flow.Flows;
import dev.tollgate.server.ProxyServer;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real Tollgate on an ephemeral loopback port, with every flow it logs captured. */
public final class ProxyHarness implements AutoCloseable {
    private final ProxyServer server;
    private final InetSocketAddress address;
    private final BlockingQueue<FlowRecord> flows = new LinkedBlockingQueue<>();
    private final FlowLogSink flowLog = FlowLogSink.standard();

    private ProxyHarness(Map<String, Object> settings, CertificateAuthority ca, List<FlowSink> extraSinks) throws Exception {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("listen", "127.0.0.1:0");
        all.putAll(settings);
        // an explicit empty file: tests never pick up the operator's config/tollgate.yaml
        java.nio.file.Path empty = java.nio.file.Files.createTempFile("tollgate-test", ".yaml");
        ProxyConfig config = ConfigLoader.load(empty, Map.of(), all);
        java.nio.file.Files.delete(empty);
        FlowSink collector = flows::add;
        List<FlowSink> sinks = new ArrayList<>(List.of(flowLog, collector));
        sinks.addAll(extraSinks);
        server = new ProxyServer(config, ca, new Flows(sinks));
        address = server.start();
    }

    /** @param settings config keys and values, as the command line would set them */
    public static ProxyHarness start(Map<String, Object> settings) throws Exception {
        return new ProxyHarness(settings, null, List.of());
    }

    /** With interception: the CA signs leaves, and TLS to the proxy is on. */
    public static ProxyHarness startWithCa(Map<String, Object> settings, CertificateAuthority ca) throws Exception {
        return new ProxyHarness(settings, ca, List.of());
    }

    /** With more flow sinks beside the log and the capture (a viewer, metrics). */
    public static ProxyHarness startWithSinks(Map<String, Object> settings, List<FlowSink> sinks) throws Exception {
        return new ProxyHarness(settings, null, sinks);
    }

    /** The flow-log sink this proxy writes to, as the real one does. */
    public FlowLogSink flowLog() {
        return flowLog;
    }

    public static ProxyHarness start() throws Exception {
        return start(Map.of());
    }

    public int port() {
        return address.getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public ProxyServer server() {
        return server;
    }

    /** A JDK HttpClient that uses this proxy for every request. */
    public HttpClient client() {
        return HttpClient.newBuilder()
                .proxy(ProxySelector.of(address))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** The next flow logged, waiting up to 5 s. */
    public FlowRecord nextFlow() throws InterruptedException {
        FlowRecord f = flows.poll(5, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("no flow was logged within 5 s");
        }
        return f;
    }

    /** Every flow logged so far, waiting briefly for stragglers. */
    public List<FlowRecord> drainFlows() throws InterruptedException {
        Thread.sleep(200);
        List<FlowRecord> out = new ArrayList<>();
        flows.drainTo(out);
        return out;
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(2));
        flowLog.close();
        LeakWatch.assertNoLeaks();
    }
}
