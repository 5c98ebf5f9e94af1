package dev.tollgate.flow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowQueryTest {
    private final TestFlows flows = new TestFlows();
    private final FlowRecord ok = flows.flow("GET", "https://api.example.com/items", FlowMode.INTERCEPT, 200, null);
    private final FlowRecord failed = flows.flow(
            "10.1.2.3:4000",
            "POST",
            "http://db.internal/x",
            FlowMode.FORWARD,
            502,
            "connection refused by db.internal:80",
            f -> {});
    private final FlowRecord denied = flows.flow(
            "CONNECT", "evil.example:443", FlowMode.DENY, 403, "egress policy: evil.example matches deny entry");
    private final FlowRecord noAnswer =
            flows.flow("GET", "http://slow.example/", FlowMode.FORWARD, 0, "client closed the connection");

    private static FlowQuery q(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return FlowQuery.parse(m);
    }

    @Test
    void eachFilterNarrows() {
        assertThat(q().test(ok)).isTrue();
        assertThat(q("host", "API.example").test(ok)).isTrue();
        assertThat(q("host", "api.example").test(failed)).isFalse();
        assertThat(q("host", "evil").test(denied)).isTrue(); // a CONNECT's authority is its host
        assertThat(q("status", "5xx").test(failed)).isTrue();
        assertThat(q("status", "2xx,4xx").test(failed)).isFalse();
        assertThat(q("status", "4xx").test(denied)).isTrue();
        assertThat(q("status", "none").test(noAnswer)).isTrue();
        assertThat(q("mode", "deny").test(denied)).isTrue();
        assertThat(q("mode", "forward,intercept").test(denied)).isFalse();
        assertThat(q("client", "10.1.").test(failed)).isTrue();
        assertThat(q("client", "10.1.").test(ok)).isFalse();
        assertThat(q("errors", "1").test(ok)).isFalse();
        assertThat(q("errors", "1").test(failed)).isTrue();
        assertThat(q("q", "REFUSED").test(failed)).isTrue();
        assertThat(q("q", "post").test(failed)).isTrue();
        assertThat(q("q", "post").test(ok)).isFalse();
        assertThat(q("host", "db", "status", "5xx", "errors", "1").test(failed)).isTrue();
    }

    @Test
    void badValuesNameTheParameterAndTheValue() {
        assertThatThrownBy(() -> q("status", "2xx,9xx"))
                .hasMessageContaining("status=2xx,9xx")
                .hasMessageContaining("9xx");
        assertThatThrownBy(() -> q("mode", "sideways"))
                .hasMessageContaining("mode=sideways")
                .hasMessageContaining("forward, intercept, tunnel, bypass, bypass (auto), deny, local");
        assertThatThrownBy(() -> q("errors", "yes"))
                .hasMessageContaining("errors=yes")
                .hasMessageContaining("1 or 0");
    }
}
