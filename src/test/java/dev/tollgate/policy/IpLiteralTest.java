package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "10.1.2.3,                   0a010203",
        "0.0.0.0,                    00000000",
        "255.255.255.255,            ffffffff",
        "::1,                        00000000000000000000000000000001",
        "[::1],                      00000000000000000000000000000001",
        "0:0:0:0:0:0:0:1,            00000000000000000000000000000001",
        "::,                         00000000000000000000000000000000",
        "fd00::1,                    fd000000000000000000000000000001",
        "FD00:0:0::1,                fd000000000000000000000000000001",
        "1::,                        00010000000000000000000000000000",
        "1:2:3:4:5:6:7::,            00010002000300040005000600070000",
        "2001:db8::ff00:42:8329,     20010db8000000000000ff0000428329",
        "::ffff:10.1.2.3,            00000000000000000000ffff0a010203",
        "[::ffff:10.1.2.3],          00000000000000000000ffff0a010203",
        "1:2:3:4:5:6:1.2.3.4,        00010002000300040005000601020304",
    })
    void parsesLiterals(String text, String hex) {
        assertThat(IpLiteral.parse(text)).isEqualTo(HexFormat.of().parseHex(hex));
    }

    @ParameterizedTest(name = "\"{0}\" is not a literal")
    @ValueSource(
            strings = {
                "",
                "example.com",
                "localhost",
                "1.2.3",
                "1.2.3.4.5",
                "256.1.1.1",
                "010.0.0.1",
                "1.2.3.4.",
                "0x7f.0.0.1",
                "1..2.3",
                " 1.2.3.4",
                ":",
                ":::",
                "1:::2",
                "1::2::3",
                ":1::",
                "1:",
                "1:2:3:4:5:6:7:8:9",
                "::1:2:3:4:5:6:7:8",
                "1:2:3:4:5:6:7",
                "12345::",
                "g::1",
                "fe80::1%eth0",
                "[::1",
                "::1]",
                "[10.1.2.3]",
                "[]",
                "::1.2.3",
                "1:2:3:4:5:6:7:1.2.3.4",
                "::١"
            })
    void rejectsNonLiterals(String text) {
        assertThat(IpLiteral.parse(text)).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "10.1.2.3,                10.1.2.3",
        "0:0:0:0:0:0:0:1,         ::1",
        "2001:DB8:0:0:1:0:0:1,    2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1,    2001:db8:0:1:1:1:1:1",
        "0:0:0:0:0:0:0:0,         ::",
        "1:0:0:0:0:0:0:0,         1::",
        "fc00:0:0:0:0:0:0:0,      fc00::",
    })
    void formatsCanonically(String text, String expected) {
        assertThat(IpLiteral.format(IpLiteral.parse(text))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "example.com,       example.com,       example.com:8080",
        "10.1.2.3,          10.1.2.3,          10.1.2.3:8080",
        "::1,               [::1],             [::1]:8080",
        "0:0:0:0:0:0:0:1,   [0:0:0:0:0:0:0:1], [0:0:0:0:0:0:0:1]:8080",
        "::ffff:10.1.2.3,   [::ffff:10.1.2.3], [::ffff:10.1.2.3]:8080",
    })
    void bracketsIpv6InAnAuthority(String host, String bracketed, String authority) {
        assertThat(IpLiteral.bracketed(host)).isEqualTo(bracketed);
        assertThat(IpLiteral.authority(host, 8080)).isEqualTo(authority);
    }
}
