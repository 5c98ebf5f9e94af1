package dev.tollgate.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.flow.FlowRecord;
import dev.tollgate.flow.store.FlowJson;
import dev.tollgate.flow.store.FlowQuery;
import dev.tollgate.flow.store.FlowStore;
import dev.tollgate.flow.store.HarWriter;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** {@code /api/flows}, {@code /api/flows/{id}} and {@code /api/flows.har}: the store, filtered. */
final class FlowApi {
    static final int DEFAULT_LIMIT = 500;
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final FlowStore store;
    private final ObjectMapper mapper;
    private final FlowJson json;
    private final HarWriter har;

    FlowApi(FlowStore store, ObjectMapper mapper, String version) {
        this.store = store;
        this.mapper = mapper;
        this.json = new FlowJson(mapper);
        this.har = new HarWriter(mapper, version);
    }

    /** Newest first; {@code before} pages back from a flow id. */
    void list(AdminExchange x) throws IOException {
        Map<String, String> q = x.query();
        List<FlowRecord> flows = store.newest(FlowQuery.parse(q), limit(q, DEFAULT_LIMIT), number(q, "before", 0));
        ObjectNode body = mapper.createObjectNode();
        body.put("stored", store.size());
        body.put("evicted", store.evicted());
        ArrayNode rows = body.putArray("flows");
        flows.forEach(f -> rows.add(json.row(f)));
        x.send(200, "application/json", mapper.writeValueAsBytes(body));
    }

    void one(AdminExchange x) throws IOException {
        String idText = x.path().substring("/api/flows/".length());
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("flow id \"" + idText + "\" is not a number");
        }
        FlowRecord f = store.get(id);
        if (f == null) {
            x.text(404, "no flow " + id + " in the store (it may have been evicted: admin.flows.max / maxBytes)\n");
            return;
        }
        x.send(200, "application/json", mapper.writeValueAsBytes(json.detail(f)));
    }

    /** The current filter as HAR, oldest first; every flow in the store unless {@code limit} says fewer. */
    void har(AdminExchange x) throws IOException {
        Map<String, String> q = x.query();
        List<FlowRecord> flows = new ArrayList<>(store.newest(FlowQuery.parse(q), limit(q, Integer.MAX_VALUE), 0));
        Collections.reverse(flows);
        x.send(
                200,
                "application/json",
                har.write(flows),
                "attachment; filename=\"tollgate-" + FILE_TIME.format(Instant.now()) + ".har\"");
    }

    private static int limit(Map<String, String> q, int dflt) {
        long n = number(q, "limit", dflt);
        if (n < 1) {
            throw new IllegalArgumentException("limit=" + q.get("limit") + ": must be 1 or more");
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    private static long number(Map<String, String> q, String name, long dflt) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + v + ": must be a whole number");
        }
    }
}
