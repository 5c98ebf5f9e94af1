package dev.tollgate.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.config.ProxyConfig;
import dev.tollgate.flow.FlowSink;
import dev.tollgate.flow.store.FlowStore;
import dev.tollgate.flow.store.Inventory;
import java.util.List;

/**
 * The admin listener's flow sinks and metrics, built before the proxy so the composition root
 * can hand {@link #sinks()} to {@code Flows} and {@link #metrics()} to its hooks.
 */
public record AdminParts(
        FlowStore store, Inventory inventory, EventStream events, ProxyMetrics metrics, ObjectMapper mapper) {
    static final int MAX_DESTINATIONS = 10_000;

    public static AdminParts create(ProxyConfig.Admin config) {
        ObjectMapper mapper = new ObjectMapper();
        EventStream events = new EventStream(mapper);
        FlowStore store = new FlowStore(config.flowsMax(), config.flowsMaxBytes(), events::wantsProgress);
        ProxyMetrics metrics = new ProxyMetrics();
        metrics.store(store::size, store::bytes);
        return new AdminParts(store, new Inventory(MAX_DESTINATIONS), events, metrics, mapper);
    }

    /** Everything that listens to flow events: give these to {@code Flows}. */
    public List<FlowSink> sinks() {
        return List.of(store, inventory, events, metrics);
    }
}
