package dev.tollgate.flow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.FlowMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlowTargetTest {
    private final TestFlows flows = new TestFlows();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "http://example.com/a?b=c,           http,  example.com, 80,  example.com:80",
        "https://API.example.com:8443/x,     https, api.example.com, 8443, api.example.com:8443",
        "https://example.com,                https, example.com, 443, example.com:443",
        "example.com:443,                    ,      example.com, 443, example.com:443",
        "http://[2001:db8::1]:8080/,         http,  2001:db8::1, 8080, [2001:db8::1]:8080",
        "[2001:db8::1]:443,                  ,      2001:db8::1, 443, [2001:db8::1]:443",
        "http://10.0.0.1/#frag,              http,  10.0.0.1,    80,  10.0.0.1:80",
    })
    void readsTheDestinationBackFromTheUrl(String url, String scheme, String host, int port, String authority) {
        FlowTarget t = FlowTarget.of(flows.flow("GET", url, FlowMode.FORWARD, 200, null));
        assertThat(t.scheme()).isEqualTo(scheme);
        assertThat(t.host()).isEqualTo(host);
        assertThat(t.port()).isEqualTo(port);
        assertThat(t.authority()).isEqualTo(authority);
    }

    @ParameterizedTest
    @CsvSource({"''", "http:///nohost"})
    void noUrlOrNoHostIsNoTarget(String url) {
        assertThat(FlowTarget.of(flows.flow("GET", url, FlowMode.DENY, 400, "bad")))
                .isNull();
    }
}
