package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.0.0.0/8,          10.255.255.255,     true",
        "10.0.0.0/8,          11.0.0.0,           false",
        "10.0.0.0/8,          9.255.255.255,      false",
        "172.16.0.0/12,       172.31.255.255,     true",
        "172.16.0.0/12,       172.32.0.0,         false",
        "0.0.0.0/0,           8.8.8.8,            true",
        "10.1.2.3/32,         10.1.2.3,           true",
        "10.1.2.3/32,         10.1.2.4,           false",
        "10.1.2.3,            10.1.2.3,           true",
        "::1/128,             ::1,                true",
        "::1/128,             ::2,                false",
        "::1,                 0:0:0:0:0:0:0:1,    true",
        "::/0,                2001:db8::1,        true",
        "fc00::/7,            fdff:ffff::1,       true",
        "fc00::/7,            fe00::1,            false",
        "10.0.0.0/8,          ::ffff:10.1.2.3,    true",
        "::ffff:10.0.0.0/104, 10.9.9.9,           true",
        "::/0,                10.1.2.3,           false",
        "::/0,                ::ffff:10.1.2.3,    false",
        "0.0.0.0/0,           ::1,                false",
        "10.0.0.0/8,          ::a01:203,          false",
    })
    void contains(String cidr, String address, boolean expected) {
        assertThat(Cidr.parse(cidr).contains(IpLiteral.parse(address))).isEqualTo(expected);
        assertThat(Cidr.parse(cidr).contains(inet(address))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "10.0.0.0/8,           10.0.0.0/8,       false",
        "10.1.2.3/8,           10.0.0.0/8,       true",
        "10.1.2.3,             10.1.2.3/32,      false",
        "' 10.0.0.0/8 ',       10.0.0.0/8,       false",
        "0.0.0.0/0,            0.0.0.0/0,        false",
        "255.255.255.255/0,    0.0.0.0/0,        true",
        "::1,                  ::1/128,          false",
        "FC00:0::/7,           fc00::/7,         false",
        "fdff::1/7,            fc00::/7,         true",
        "::ffff:10.0.0.0/104,  10.0.0.0/8,       false",
        "::ffff:10.1.2.3,      10.1.2.3/32,      false",
        "::ffff:0:0/96,        0.0.0.0/0,        false",
        "172.31.0.0/12,        172.16.0.0/12,    true",
    })
    void normalizes(String raw, String expected, boolean hostBitsCleared) {
        Cidr cidr = Cidr.parse(raw);
        assertThat(cidr).hasToString(expected);
        assertThat(cidr.hostBitsCleared()).isEqualTo(hostBitsCleared);
        assertThat(cidr).isEqualTo(Cidr.parse(expected));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "10.0.0.0/33     | prefix length must be 0..32",
                "::/129          | prefix length must be 0..128",
                "10.0.0.0/-1     | prefix length must be 0..32",
                "10.0.0.0/       | prefix length must be 0..32",
                "10.0.0.0/8/8    | prefix length must be 0..32",
                "10.0.0.0/1000   | prefix length must be 0..32",
                "example.com/8   | not an IP address",
                "example.com     | not an IP address",
                "10.0.0/8        | not an IP address",
                "/8              | not an IP address",
                "''              | not an IP address",
            })
    void rejects(String raw, String reason) {
        assertThatThrownBy(() -> Cidr.parse(raw)).isInstanceOfSatisfying(PatternException.class, e -> {
            assertThat(e.value()).isEqualTo(raw);
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e).hasMessage("\"" + raw + "\" is not a CIDR: " + reason);
        });
    }

    /** Built from bytes, so no name is ever resolved. */
    static InetAddress inet(String literal) {
        try {
            return InetAddress.getByAddress(IpLiteral.parse(literal));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
