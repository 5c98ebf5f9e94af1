package dev.tollgate.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.AutoPassthroughSettings;
import dev.tollgate.route.AutoPassthrough;
import java.io.IOException;

/** {@code /api/auto-passthrough}: the hosts tunnelled blind because clients rejected their forged leaf. */
final class AutoPassthroughApi implements Endpoint {
    private final AutoPassthrough table;
    private final ObjectMapper mapper;

    AutoPassthroughApi(AutoPassthrough table, ObjectMapper mapper) {
        this.table = table;
        this.mapper = mapper;
    }

    @Override
    public void serve(AdminExchange x) throws IOException {
        ObjectNode body = mapper.createObjectNode();
        body.put("enabled", table.enabled());
        AutoPassthroughSettings s = table.settings();
        if (s != null) {
            body.put("failures", s.failures());
            body.put("window", s.window().toString());
            body.put("ttl", s.ttl().toString());
            body.put("maxHosts", s.maxHosts());
        }
        body.put("entered", table.entered());
        ArrayNode list = body.putArray("hosts");
        for (AutoPassthrough.Host h : table.hosts()) {
            ObjectNode n = list.addObject();
            n.put("host", h.host());
            n.put("since", h.since().toString());
            n.put("expires", h.expires().toString());
            h.evidence().forEach(n.putArray("evidence")::add);
        }
        x.send(200, "application/json", mapper.writeValueAsBytes(body));
    }
}
