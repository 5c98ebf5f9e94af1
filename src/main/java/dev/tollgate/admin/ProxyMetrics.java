package dev.tollgate.admin;

import dev.tollgate.ca.LeafEvents;
import dev.tollgate.flow.FlowRecord;
import dev.tollgate.flow.FlowSink;
import dev.tollgate.upstream.InClusterNames;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.function.LongSupplier;

/**
 * Tollgate's Prometheus series. Most come from flow events (this is a {@link FlowSink} that only
 * counts); the rest are fed by small hooks the composition root connects: connection counts,
 * leaf forging ({@link LeafEvents}), flow-log drops, config reloads. JVM and process series
 * (memory, GC, threads, open fds) come from the client's own instrumentation.
 */
public final class ProxyMetrics implements FlowSink, LeafEvents {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder()
            .name("tollgate_requests_total")
            .help("Flows ended, by what the proxy did and the response's status class")
            .labelNames("mode", "status_class")
            .register(registry);
    private final Counter bytes = Counter.builder()
            .name("tollgate_transferred_bytes_total")
            .unit(Unit.BYTES)
            .help("Payload bytes relayed: up = client to upstream, down = upstream to client")
            .labelNames("direction")
            .register(registry);
    private final Counter denials = Counter.builder()
            .name("tollgate_denials_total")
            .help("Requests refused by the proxy, by cause")
            .labelNames("cause")
            .register(registry);
    private final Counter upstreamFailures = Counter.builder()
            .name("tollgate_upstream_failures_total")
            .help("Flows that failed on the upstream side, by reason")
            .labelNames("reason")
            .register(registry);
    private final Counter inClusterNames = Counter.builder()
            .name("tollgate_in_cluster_names_total")
            .help("Requests for in-cluster or private names that reached the proxy and did not resolve, by the "
                    + "noProxy entry they lack (dotless: the name itself; .privatelink.*: its zone)")
            .labelNames("entry")
            .register(registry);
    private final Counter tlsFailures = Counter.builder()
            .name("tollgate_tls_handshake_failures_total")
            .help("Failed TLS handshakes, by leg (client, upstream) and reason")
            .labelNames("leg", "reason")
            .register(registry);
    private final Counter leafForges = Counter.builder()
            .name("tollgate_leaf_forges_total")
            .help("Leaf certificates forged (cache misses)")
            .register(registry);
    private final Counter leafHits = Counter.builder()
            .name("tollgate_leaf_cache_hits_total")
            .help("Leaf certificates served from the cache")
            .register(registry);
    private final Histogram forging = Histogram.builder()
            .name("tollgate_leaf_forge_duration_seconds")
            .unit(Unit.SECONDS)
            .help("Time to forge one leaf certificate")
            .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1)
            .register(registry);
    private final Counter reloads = Counter.builder()
            .name("tollgate_config_reloads_total")
            .help("Config reloads, by result (ok, refused)")
            .labelNames("result")
            .register(registry);

    public ProxyMetrics() {
        JvmMetrics.builder().register(registry);
        // every known label value from the start: a rate() over a series that appears late misses its first count
        for (String result : new String[] {"ok", "refused"}) {
            reloads.labelValues(result);
        }
        for (String cause : FlowCauses.DENIALS) {
            denials.labelValues(cause);
        }
        for (String reason : FlowCauses.UPSTREAM_FAILURES) {
            upstreamFailures.labelValues(reason);
        }
        for (String[] legAndReason : FlowCauses.TLS_FAILURES) {
            tlsFailures.labelValues(legAndReason);
        }
        for (String rule : InClusterNames.RULES) {
            inClusterNames.labelValues(rule);
        }
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** @param connections client connections open now (the proxy listener's channel group) */
    public void connections(LongSupplier connections) {
        GaugeWithCallback.builder()
                .name("tollgate_client_connections")
                .help("Client connections open now")
                .callback(cb -> cb.call(connections.getAsLong()))
                .register(registry);
    }

    /** @param tunnels blind relays open now: CONNECT tunnels (bypass, passthrough, blind) and WebSockets */
    public void tunnels(LongSupplier tunnels) {
        GaugeWithCallback.builder()
                .name("tollgate_open_tunnels")
                .help("Blind relays open now: CONNECT tunnels (bypass, passthrough, blind) and WebSockets")
                .callback(cb -> cb.call(tunnels.getAsLong()))
                .register(registry);
    }

    /**
     * @param entered hosts put in the auto-passthrough table since start
     * @param hosts hosts in it now
     */
    public void autoPassthrough(LongSupplier entered, LongSupplier hosts) {
        CounterWithCallback.builder()
                .name("tollgate_auto_passthrough_total")
                .help("Hosts tunnelled blind by auto-passthrough (clients kept rejecting the forged leaf)")
                .callback(cb -> cb.call(entered.getAsLong()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tollgate_auto_passthrough_hosts")
                .help("Hosts tunnelled blind by auto-passthrough now")
                .callback(cb -> cb.call(hosts.getAsLong()))
                .register(registry);
    }

    /** @param dropped flow-log records dropped because the log sink could not keep up */
    public void flowLogDrops(LongSupplier dropped) {
        CounterWithCallback.builder()
                .name("tollgate_flow_log_dropped_total")
                .help("Flow-log records dropped because the log sink could not keep up")
                .callback(cb -> cb.call(dropped.getAsLong()))
                .register(registry);
    }

    /** Gauges of the recent-flows store behind the viewer. */
    void store(LongSupplier flows, LongSupplier bytes) {
        GaugeWithCallback.builder()
                .name("tollgate_flow_store_flows")
                .help("Flows kept for the viewer")
                .callback(cb -> cb.call(flows.getAsLong()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tollgate_flow_store_bytes")
                .unit(Unit.BYTES)
                .help("Estimated memory held by the kept flows")
                .callback(cb -> cb.call(bytes.getAsLong()))
                .register(registry);
    }

    public void reload(boolean ok) {
        reloads.labelValues(ok ? "ok" : "refused").inc();
    }

    @Override
    public void forged(long nanos) {
        leafForges.inc();
        forging.observe(nanos / 1e9);
    }

    @Override
    public void hit() {
        leafHits.inc();
    }

    @Override
    public void ended(FlowRecord f) {
        String mode = f.mode() == null ? "unknown" : f.mode().word();
        requests.labelValues(mode, FlowCauses.statusClass(f.status())).inc();
        bytes.labelValues("up").inc(f.bytesUp());
        bytes.labelValues("down").inc(f.bytesDown());
        String denial = FlowCauses.denial(f);
        if (denial != null) {
            denials.labelValues(denial).inc();
        }
        String upstream = FlowCauses.upstreamFailure(f);
        if (upstream != null) {
            upstreamFailures.labelValues(upstream).inc();
        }
        String[] tls = FlowCauses.tlsFailure(f);
        if (tls != null) {
            tlsFailures.labelValues(tls).inc();
        }
        String inCluster = FlowCauses.inClusterRule(f);
        if (inCluster != null) {
            inClusterNames.labelValues(inCluster).inc();
        }
    }
}
