package dev.tollgate.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.store.Inventory;
import dev.tollgate.flow.store.InventoryYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** {@code /api/inventory} (JSON) and {@code /api/inventory.yaml} (an egress allow-list block). */
final class InventoryApi {
    private final Inventory inventory;
    private final ObjectMapper mapper;

    InventoryApi(Inventory inventory, ObjectMapper mapper) {
        this.inventory = inventory;
        this.mapper = mapper;
    }

    void json(AdminExchange x) throws IOException {
        ObjectNode body = mapper.createObjectNode();
        body.put("overflow", inventory.overflow());
        ArrayNode list = body.putArray("destinations");
        for (Inventory.Entry e : inventory.entries()) {
            ObjectNode n = list.addObject();
            n.put("destination", e.authority());
            n.put("host", e.host());
            n.put("port", e.port());
            e.sni().stream().sorted().forEach(n.putArray("sni")::add);
            e.alpn().stream().sorted().forEach(n.putArray("alpn")::add);
            e.modes().stream().map(FlowMode::word).sorted().forEach(n.putArray("modes")::add);
            n.put("count", e.count());
            n.put("errors", e.errors());
            n.put("bytesUp", e.bytesUp());
            n.put("bytesDown", e.bytesDown());
            n.put("firstSeen", e.firstSeen().toString());
            n.put("lastSeen", e.lastSeen().toString());
            e.clients().stream().sorted().forEach(n.putArray("clients")::add);
            n.put("moreClients", e.moreClients());
        }
        x.send(200, "application/json", mapper.writeValueAsBytes(body));
    }

    void yaml(AdminExchange x) {
        String text = InventoryYaml.write(inventory.entries(), inventory.overflow(), Instant.now());
        // text/plain: a browser shows it rather than saving it
        x.send(
                200,
                "text/plain; charset=utf-8",
                text.getBytes(StandardCharsets.UTF_8),
                "inline; filename=\"egress.yaml\"");
    }
}
