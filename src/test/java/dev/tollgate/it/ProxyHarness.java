package dev.tollgate.it;

import dev.tollgate.ca.CertificateAuthority;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.ProxyConfig;
import dev.tollgate.flow.FlowLogSink;
import dev.tollgate.flow.FlowRecord;
import dev.tollgate.flow.FlowSink;
import dev.tollgate.flow.Flows;
import dev.tollgate.server.Listener;
import dev.tollgate.server.ProxyServer;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real Tollgate on an ephemeral loopback port, with every flow it logs captured. */
public final class ProxyHarness implements AutoCloseable {
    private final ProxyServer server;
    private final InetSocketAddress address;
    private static final Duration FLOW_WAIT = Duration.ofSeconds(5);

    private final BlockingQueue<FlowRecord> flows = new LinkedBlockingQueue<>();
    private final FlowLogSink flowLog = FlowLogSink.standard();

    private ProxyHarness(Map<String, Object> settings, CertificateAuthority ca, List<FlowSink> extraSinks)
            throws Exception {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("listen", "127.0.0.1:0");
        all.putAll(settings);
        // an explicit empty file: tests never pick up the operator's config/tollgate.yaml
        Path empty = Files.createTempFile("tollgate-test", ".yaml");
        ProxyConfig config = ConfigLoader.load(empty, Map.of(), all);
        Files.delete(empty);
        FlowSink collector = flows::add;
        List<FlowSink> sinks = new ArrayList<>(List.of(flowLog, collector));
        sinks.addAll(extraSinks);
        server =
                new ProxyServer(config, ca, new Flows(sinks), Listener.bind(config.listen()), Map.of(), TestDns.LOOKUP);
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

    /** With a CA (may be null) and more flow sinks: what the admin listener's tests start. */
    public static ProxyHarness startWith(Map<String, Object> settings, CertificateAuthority ca, List<FlowSink> sinks)
            throws Exception {
        return new ProxyHarness(settings, ca, sinks);
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

    /** The next flow to end, waiting up to 5 s. */
    public FlowRecord nextFlow() throws InterruptedException {
        return nextFlows(1).get(0);
    }

    /** The next {@code count} flows to end, in the order they ended, waiting up to 5 s for all of them. */
    public List<FlowRecord> nextFlows(int count) throws InterruptedException {
        return awaitFlows(count, f -> true, "any flow");
    }

    /**
     * The first flow to end that matches {@code which}, waiting up to 5 s. Flows that end before
     * it and do not match (a neighbour test's, on a shared proxy) are dropped.
     */
    public FlowRecord awaitFlow(Predicate<FlowRecord> which, String what) throws InterruptedException {
        return awaitFlows(1, which, what).get(0);
    }

    /** The first {@code count} flows to end that match {@code which}, as {@link #awaitFlow} does for one. */
    public List<FlowRecord> awaitFlows(int count, Predicate<FlowRecord> which, String what)
            throws InterruptedException {
        List<FlowRecord> matched = new ArrayList<>();
        List<FlowRecord> skipped = new ArrayList<>();
        long deadline = System.nanoTime() + FLOW_WAIT.toNanos();
        while (matched.size() < count) {
            FlowRecord f = flows.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (f == null) {
                throw new AssertionError("within " + FLOW_WAIT.toSeconds() + " s, " + matched.size() + " of " + count
                        + " flows matched (" + what + "): " + matched + "; skipped: " + skipped);
            }
            (which.test(f) ? matched : skipped).add(f);
        }
        return matched;
    }

    /**
     * Every flow that ends up to and including the first that matches {@code marker}, waiting up
     * to 5 s: after a marker request made last, this is everything the requests before it left.
     */
    public List<FlowRecord> flowsThrough(Predicate<FlowRecord> marker, String what) throws InterruptedException {
        List<FlowRecord> seen = new ArrayList<>();
        long deadline = System.nanoTime() + FLOW_WAIT.toNanos();
        while (seen.isEmpty() || !marker.test(seen.get(seen.size() - 1))) {
            FlowRecord f = flows.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (f == null) {
                throw new AssertionError(
                        "no flow matched (" + what + ") within " + FLOW_WAIT.toSeconds() + " s; seen: " + seen);
            }
            seen.add(f);
        }
        return seen;
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(2));
        flowLog.close();
        LeakWatch.assertNoLeaks();
    }
}
