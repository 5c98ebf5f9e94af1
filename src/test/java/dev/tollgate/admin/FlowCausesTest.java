package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import dev.tollgate.flow.FlowSink;
import dev.tollgate.flow.Flows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The proxy's own error words, sorted into the metrics' fixed label sets. */
class FlowCausesTest {
    private static FlowRecord flow(FlowMode mode, int status, String error) {
        List<FlowRecord> out = new ArrayList<>();
        Flows flows = new Flows(List.of((FlowSink) out::add));
        Flow f = flows.open("10.0.0.1:1").request("GET", "http://x/").mode(mode).status(status);
        if (error != null && !error.isEmpty()) {
            f.error(error);
        }
        f.end();
        return out.get(0);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "DENY | 407 | proxy authentication required                                          | auth",
                "DENY | 403 | egress policy: a matches deny entry a (rule: deny a)                    | egress",
                "DENY | 403 | client 203.0.113.7 is not allowed to use this proxy; allow it with ...   | acl",
                "DENY | 403 | CONNECT to port 22 is not allowed (connectPorts: [443])                  | connect_port",
                "DENY | 429 | more pipelined requests queued than limits.maxPipelined allows          | limit",
                "DENY | 503 | too many connections                                                     | limit",
                "DENY | 508 | loop: x is this proxy itself                                             | loop",
                "DENY | 400 | something else                                                           | other",
            })
    void denials(FlowMode mode, int status, String error, String cause) {
        assertThat(FlowCauses.denial(flow(mode, status, error)))
                .isEqualTo(cause)
                .isIn((Object[]) FlowCauses.DENIALS);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "FORWARD   | 502 | unknown host nope.example (DNS lookup failed)                          | dns",
                "FORWARD   | 504 | timed out connecting to a:80 (10.0.0.1)                                | connect_timeout",
                "FORWARD   | 502 | connection refused by a:80 (127.0.0.1)                                 | refused",
                "TUNNEL    | 502 | no route to a:443 (10.9.9.9)                                           | unreachable",
                "INTERCEPT | 502 | TLS handshake with a:443 failed: the origin's certificate has expired  | tls",
                "FORWARD   | 502 | parent proxy p:3128 refused CONNECT a:443: it answered 403             | parent",
                "FORWARD   | 504 | upstream a:80 did not answer within 60s                                | first_byte_timeout",
                "FORWARD   | 502 | something new                                                          | other",
                "FORWARD   | 200 | client closed the connection                                           | ",
            })
    void upstreamFailures(FlowMode mode, int status, String error, String reason) {
        assertThat(FlowCauses.upstreamFailure(flow(mode, status, error))).isEqualTo(reason);
        if (reason != null) {
            assertThat(reason).isIn((Object[]) FlowCauses.UPSTREAM_FAILURES);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "the client rejected the forged certificate (x): it does not trust the Tollgate CA; install ... | client   | client_does_not_trust_ca",
                "the client aborted the handshake with an alert (x); ...: it most likely does not trust the Tollgate CA | client | client_does_not_trust_ca",
                "client TLS handshake timed out (handshake timed out after 10000ms)                | client   | timeout",
                "client closed the connection during the TLS handshake                             | client   | closed",
                "TLS handshake with a:443 failed: the origin's certificate is not signed by a trusted CA (...) | upstream | untrusted_certificate",
                "TLS handshake with a:443 failed: the origin's certificate does not match the name (x) | upstream | name_mismatch",
            })
    void tlsFailures(String error, String leg, String reason) {
        assertThat(FlowCauses.tlsFailure(flow(FlowMode.INTERCEPT, 0, error))).containsExactly(leg, reason);
        assertThat(Arrays.asList(FlowCauses.TLS_FAILURES))
                .anySatisfy(known -> assertThat(known).containsExactly(leg, reason));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "konnectivity, dotless",
        "any-made-up-name, dotless",
        ".svc, .svc",
        ".cluster.local, .cluster.local",
        ".internal, .internal",
        ".internal.cloudapp.net, .internal.cloudapp.net",
        ".privatelink.blob.core.windows.net, .privatelink.*",
        ".privatelink.whatever.example, .privatelink.*",
        ".not-a-rule.example, other",
    })
    void inClusterEntriesAreLabelledByRuleNeverByName(String entry, String label) {
        List<FlowRecord> out = new ArrayList<>();
        new Flows(List.of((FlowSink) out::add))
                .open("10.0.0.1:1")
                .status(502)
                .noProxyAdvice(entry)
                .end();
        assertThat(FlowCauses.inClusterRule(out.get(0))).isEqualTo(label);
        assertThat(FlowCauses.inClusterRule(flow(FlowMode.FORWARD, 502, "unknown host x (DNS lookup failed)")))
                .isNull();
    }
}
