package dev.tollgate.flow.store;

import dev.tollgate.flow.FlowMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The inventory as an {@code egress} block for {@code config/tollgate.yaml}: every destination
 * that was let through becomes an allow entry (noProxy syntax, {@code host:port}); those only
 * ever refused are listed as comments, so pasting the block never allows what was denied.
 */
public final class InventoryYaml {
    private InventoryYaml() {}

    public static String write(List<Inventory.Entry> entries, long overflow, Instant now) {
        StringBuilder b = new StringBuilder(64 + 96 * entries.size());
        b.append("# Egress inventory from Tollgate at ")
                .append(now.truncatedTo(ChronoUnit.SECONDS))
                .append(": ")
                .append(entries.size())
                .append(" destinations seen since the proxy started.\n")
                .append("# Review it, then replace the egress block of config/tollgate.yaml with it: from then on\n")
                .append("# only these destinations may leave through the proxy.\n");
        if (overflow > 0) {
            b.append("# ")
                    .append(overflow)
                    .append(" flows went to destinations beyond the inventory's bound: "
                            + "this list is INCOMPLETE.\n");
        }
        b.append("egress:\n  mode: allow-list\n  allow:\n");
        List<Inventory.Entry> passed =
                entries.stream().filter(Inventory.Entry::passed).toList();
        if (passed.isEmpty()) {
            b.append("    []\n");
        }
        for (Inventory.Entry e : passed) {
            b.append("    - ")
                    .append(quoted(e.authority()))
                    .append("  # ")
                    .append(comment(e))
                    .append('\n');
        }
        List<Inventory.Entry> denied = entries.stream().filter(e -> !e.passed()).toList();
        if (!denied.isEmpty()) {
            b.append("  # Refused while the inventory ran (not allowed above):\n");
            for (Inventory.Entry e : denied) {
                b.append("  #   - ")
                        .append(quoted(e.authority()))
                        .append("  # ")
                        .append(comment(e))
                        .append('\n');
            }
        }
        return b.toString();
    }

    private static String comment(Inventory.Entry e) {
        return e.modes().stream().map(FlowMode::word).sorted().collect(Collectors.joining("/")) + ", " + e.count()
                + (e.count() == 1 ? " flow" : " flows") + ", " + e.clients().size() + (e.moreClients() ? "+" : "")
                + (e.clients().size() == 1 ? " client" : " clients") + ", last "
                + e.lastSeen().truncatedTo(ChronoUnit.SECONDS);
    }

    /** YAML needs quotes for IPv6 brackets; plain names and IPv4 stay readable. */
    private static String quoted(String authority) {
        return authority.startsWith("[") ? "\"" + authority + "\"" : authority;
    }
}
