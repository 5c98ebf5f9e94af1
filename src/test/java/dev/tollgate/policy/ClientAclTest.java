package dev.tollgate.policy;

import static dev.tollgate.policy.CidrTest.inet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientAclTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "127.0.0.1,          true",
        "127.255.255.255,    true",
        "::1,                true",
        "::2,                false",
        "10.0.0.1,           true",
        "10.255.255.255,     true",
        "172.15.255.255,     false",
        "172.16.0.0,         true",
        "172.31.255.255,     true",
        "172.32.0.0,         false",
        "192.168.1.1,        true",
        "192.169.0.1,        false",
        "100.64.0.1,         true",
        "100.127.255.255,    true",
        "100.128.0.0,        false",
        "100.63.255.255,     false",
        "fd00::1,            true",
        "fc00::1,            true",
        "fe80::1,            false",
        "::ffff:10.1.2.3,    true",
        "::ffff:8.8.8.8,     false",
        "8.8.8.8,            false",
        "2001:4860:4860::8888, false",
    })
    void defaults(String client, boolean allowed) {
        assertThat(ClientAcl.defaults().allows(inet(client))).isEqualTo(allowed);
    }

    @Test
    void defaultsAreTheDocumentedRanges() {
        assertThat(ClientAcl.defaults())
                .hasToString("127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,fc00::/7");
        assertThat(ClientAcl.defaults().ranges()).hasSize(ClientAcl.DEFAULT_RANGES.size());
    }

    @Test
    void emptyAclAllowsNobody() {
        assertThat(ClientAcl.of(List.of()).allows(inet("127.0.0.1"))).isFalse();
    }

    @Test
    void customRanges() {
        ClientAcl acl = ClientAcl.of(List.of(Cidr.parse("203.0.113.0/24")));
        assertThat(acl.allows(inet("203.0.113.7"))).isTrue();
        assertThat(acl.allows(inet("10.0.0.1"))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1 | 10.0.0.0/8, 10.0.0.0/33       | prefix length must be 0..32",
                "0 | example.com, 10.0.0.0/8       | not an IP address",
                "1 | 10.0.0.0/8, '', 10.0.0.0/8    | not an IP address",
            })
    void parseReportsIndexOfBadEntry(int index, String entries, String reason) {
        List<String> list = List.of(entries.split(",", -1)).stream()
                .map(s -> s.strip().replace("''", ""))
                .toList();
        assertThatThrownBy(() -> ClientAcl.parse(list)).isInstanceOfSatisfying(IndexedPatternException.class, e -> {
            assertThat(e.index()).isEqualTo(index);
            assertThat(e.cause().reason()).isEqualTo(reason);
            assertThat(e).hasMessage(e.cause().getMessage());
        });
    }
}
