package dev.tollgate.flow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.FlowMode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InventoryTest {
    private final TestFlows flows = new TestFlows();

    @Test
    void groupsByDestinationAndWritesAnAllowListThatNeverAllowsWhatWasDenied() {
        Inventory inv = new Inventory(100);
        inv.ended(flows.flow("10.0.0.1:1", "GET", "https://api.example.com/a", FlowMode.INTERCEPT, 200, null, f -> {
            f.tls().sni("api.example.com");
            f.addBytesDown(100);
        }));
        inv.ended(flows.flow("10.0.0.2:2", "GET", "https://api.example.com/b", FlowMode.INTERCEPT, 500, "x", f -> {}));
        inv.ended(flows.flow("CONNECT", "evil.example:443", FlowMode.DENY, 403, "egress policy: ..."));
        inv.ended(flows.flow("CONNECT", "[2001:db8::1]:443", FlowMode.TUNNEL, 200, null));
        inv.ended(flows.flow("GET", "/", FlowMode.LOCAL, 200, null));

        assertThat(inv.entries()).hasSize(3);
        Inventory.Entry api = inv.entries().get(0);
        assertThat(api.authority()).isEqualTo("api.example.com:443");
        assertThat(api.count()).isEqualTo(2);
        assertThat(api.errors()).isEqualTo(1);
        assertThat(api.bytesDown()).isEqualTo(100);
        assertThat(api.clients()).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
        assertThat(api.sni()).containsExactly("api.example.com");

        String yaml = InventoryYaml.write(inv.entries(), inv.overflow(), Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(yaml)
                .contains("egress:\n  mode: allow-list\n  allow:\n")
                .contains("    - api.example.com:443  # intercept, 2 flows, 2 clients")
                .contains("    - \"[2001:db8::1]:443\"")
                .contains("  #   - evil.example:443  # deny, 1 flow")
                .doesNotContain("    - evil.example");
    }

    @Test
    void pastItsBoundItCountsAndSaysTheListIsIncomplete() {
        Inventory inv = new Inventory(2);
        for (int i = 0; i < 5; i++) {
            inv.ended(flows.flow("GET", "http://h" + i + ".example/", FlowMode.FORWARD, 200, null));
        }
        inv.ended(flows.flow("GET", "http://h0.example/again", FlowMode.FORWARD, 200, null));
        assertThat(inv.entries()).hasSize(2);
        assertThat(inv.overflow()).isEqualTo(3);
        assertThat(inv.entries().get(0).count()).isEqualTo(2);
        assertThat(InventoryYaml.write(inv.entries(), inv.overflow(), Instant.now()))
                .contains("INCOMPLETE");
    }
}
