package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class HostPatternTest {

    @ParameterizedTest(name = "[{index}] {0}: \"{1}\" vs {2}:{3} -> {4}")
    @CsvSource(
            delimiter = '|',
            value = {
                // rule                 | entry               | host                   | port | match
                "star matches all       | *                   | anything.example       | 443  | true",
                "star matches IPs       | *                   | 10.1.2.3               | -1   | true",
                "exact apex             | example.com         | example.com            | 80   | true",
                "exact subdomain        | example.com         | a.b.example.com        | 80   | true",
                "exact not a suffix     | example.com         | notexample.com         | 80   | false",
                "exact not a parent     | a.example.com       | example.com            | 80   | false",
                "exact other tld        | example.com         | example.com.evil       | 80   | false",
                "dot apex               | .example.com        | example.com            | 80   | true",
                "dot subdomain          | .example.com        | www.example.com        | 80   | true",
                "dot label boundary     | .example.com        | notexample.com         | 80   | false",
                "star-dot apex          | *.example.com       | example.com            | 80   | true",
                "star-dot subdomain     | *.example.com       | x.example.com          | 80   | true",
                "star-dot boundary      | *.example.com       | xexample.com           | 80   | false",
                "case in entry          | EXAMPLE.Com         | www.example.com        | 80   | true",
                "case in target         | example.com         | WWW.EXAMPLE.COM        | 80   | true",
                "trailing dot entry     | example.com.        | example.com            | 80   | true",
                "trailing dot target    | example.com         | www.example.com.       | 80   | true",
                "whitespace             | '  example.com  '   | ' example.com '        | 80   | true",
                "IDN entry unicode      | bücher.example      | xn--bcher-kva.example  | 80   | true",
                "IDN target unicode     | xn--bcher-kva.example | www.BÜCHER.example   | 80   | true",
                "IDN both unicode       | .bücher.example     | a.bücher.example       | 80   | true",
                "IDN differs            | bücher.example      | bucher.example         | 80   | false",
                "name never matches IP  | example.com         | 10.1.2.3               | 80   | false",
                "bad target no match    | example.com         | evil.com/x.example.com | 80   | false",
                "target empty label     | example.com         | a..example.com         | 80   | false",
                "name port same         | example.com:8443    | example.com            | 8443 | true",
                "name port subdomain    | .example.com:8443   | a.example.com          | 8443 | true",
                "name port other        | example.com:8443    | example.com            | 443  | false",
                "name port unknown      | example.com:8443    | example.com            | -1   | false",
                "no port any port       | example.com         | example.com            | -1   | true",
                "star port              | *:443               | example.com            | 443  | true",
                "star port other        | *:443               | example.com            | 80   | false",
                "v4 exact               | 10.1.2.3            | 10.1.2.3               | 80   | true",
                "v4 other               | 10.1.2.3            | 10.1.2.4               | 80   | false",
                "v4 vs mapped target    | 10.1.2.3            | ::ffff:10.1.2.3        | 80   | true",
                "v4 vs bracketed mapped | 10.1.2.3            | [::ffff:a01:203]       | 80   | true",
                "mapped entry vs v4     | ::ffff:10.1.2.3     | 10.1.2.3               | 80   | true",
                "v4 port                | 10.1.2.3:443        | 10.1.2.3               | 443  | true",
                "v4 port other          | 10.1.2.3:443        | 10.1.2.3               | 80   | false",
                "v4 not a name suffix   | 10.1.2.3            | 10.1.2.3.example.com   | 80   | false",
                "v6 long vs short       | ::1                 | 0:0:0:0:0:0:0:1        | 80   | true",
                "v6 bracketed entry     | [::1]               | ::1                    | 80   | true",
                "v6 bracketed target    | ::1                 | [::1]                  | 80   | true",
                "v6 case                | FD00::AB            | fd00::ab               | 80   | true",
                "v6 other               | ::1                 | ::2                    | 80   | false",
                "v6 port                | [::1]:8080          | [::1]                  | 8080 | true",
                "v6 port other          | [::1]:8080          | ::1                    | 80   | false",
                "v6 vs v4               | ::1                 | 127.0.0.1              | 80   | false",
                "cidr v4 inside         | 10.0.0.0/8          | 10.200.0.1             | 80   | true",
                "cidr v4 outside        | 10.0.0.0/8          | 11.0.0.1               | 80   | false",
                "cidr v4 mapped target  | 10.0.0.0/8          | ::ffff:10.200.0.1      | 80   | true",
                "cidr never a name      | 10.0.0.0/8          | 10.example.com         | 80   | false",
                "cidr host bits         | 10.1.2.3/8          | 10.9.9.9               | 80   | true",
                "cidr v6 inside         | fc00::/7            | [fd12::1]              | 80   | true",
                "cidr v6 outside        | fc00::/7            | fe80::1                | 80   | false",
                "cidr v6 vs v4          | ::/0                | 10.1.2.3               | 80   | false",
                "cidr /0                | 0.0.0.0/0           | 8.8.8.8                | 80   | true",
                "bad IPv4 target        | 10.0.0.0/8          | 10.0.0.256             | 80   | false",
            })
    void matches(String rule, String entry, String host, int port, boolean expected) {
        assertThat(HostPattern.parse(entry).matches(host, port)).as(rule).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(
            delimiter = '|',
            value = {
                "*                    | *                       | false",
                "*:443                | *:443                   | false",
                "Example.COM.         | example.com             | false",
                ".Example.com         | .example.com            | false",
                "*.example.com        | .example.com            | true",
                "*.example.com:443    | .example.com:443        | true",
                "example.com:08443    | example.com:8443        | false",
                "bücher.example       | xn--bcher-kva.example   | false",
                "a_b.example          | a_b.example             | false",
                "10.1.2.3             | 10.1.2.3                | false",
                "10.1.2.3:443         | 10.1.2.3:443            | false",
                "::ffff:10.1.2.3      | 10.1.2.3                | false",
                "0:0:0:0:0:0:0:1      | ::1                     | false",
                "[0::1]               | ::1                     | false",
                "[::1]:8080           | [::1]:8080              | false",
                "::1:8080             | ::1:8080                | false",
                "10.1.2.3/8           | 10.0.0.0/8              | false",
                "FC00::/7             | fc00::/7                | false",
            })
    void normalizes(String entry, String expected, boolean rewritten) {
        HostPattern pattern = HostPattern.parse(entry);
        assertThat(pattern).hasToString(expected);
        assertThat(pattern.wildcardRewritten()).isEqualTo(rewritten);
    }

    @ParameterizedTest(name = "\"{0}\": {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''                 | a valid host pattern | empty entry",
                "'   '              | a valid host pattern | empty entry",
                "a..b               | a valid host pattern | empty label",
                "..example.com      | a valid host pattern | empty label",
                "*..example.com     | a valid host pattern | empty label",
                "example.com..      | a valid host pattern | empty label",
                ".                  | a valid host pattern | empty host name",
                "*.                 | a valid host pattern | empty host name",
                ":443               | a valid host pattern | empty host name",
                "a b.com            | a valid host pattern | bad character ' '",
                "exa$mple.com       | a valid host pattern | bad character '$'",
                "http://example.com | a valid host pattern | a URL; give the host name only",
                "example.com/path   | a CIDR               | not an IP address",
                "foo*.com           | a valid host pattern | '*' is allowed only as the whole entry or as a leading \"*.\"",
                "*foo.com           | a valid host pattern | '*' is allowed only as the whole entry or as a leading \"*.\"",
                "a.*.com            | a valid host pattern | '*' is allowed only as the whole entry or as a leading \"*.\"",
                "**                 | a valid host pattern | '*' is allowed only as the whole entry or as a leading \"*.\"",
                "10.0.0.256         | a valid host pattern | not a valid IPv4 address, and no host name ends in a numeric label",
                "010.0.0.1          | a valid host pattern | not a valid IPv4 address, and no host name ends in a numeric label",
                "1.2.3              | a valid host pattern | not a valid IPv4 address, and no host name ends in a numeric label",
                "example.com:0      | a valid host pattern | port must be a number in 1..65535",
                "example.com:65536  | a valid host pattern | port must be a number in 1..65535",
                "example.com:99999999999 | a valid host pattern | port must be a number in 1..65535",
                "example.com:http   | a valid host pattern | port must be a number in 1..65535",
                "example.com:       | a valid host pattern | port must be a number in 1..65535",
                "example.com:-1     | a valid host pattern | port must be a number in 1..65535",
                "[::1]:0            | a valid host pattern | port must be a number in 1..65535",
                "[::1               | a valid host pattern | missing ']'",
                "[example.com]      | a valid host pattern | brackets must enclose an IPv6 address",
                "[10.1.2.3]         | a valid host pattern | brackets must enclose an IPv6 address",
                "[::1]8080          | a valid host pattern | unexpected text after ']'",
                "10.0.0.0/33        | a CIDR               | prefix length must be 0..32",
                "fc00::/129         | a CIDR               | prefix length must be 0..128",
                "example.com/8      | a CIDR               | not an IP address",
                "10.0.0.0/8:443     | a CIDR               | a CIDR cannot have a port",
            })
    void rejects(String entry, String what, String reason) {
        assertThatThrownBy(() -> HostPattern.parse(entry)).isInstanceOfSatisfying(PatternException.class, e -> {
            assertThat(e.value()).isEqualTo(entry);
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e).hasMessage("\"" + entry + "\" is not " + what + ": " + reason);
        });
    }

    static Stream<Arguments> lengthLimits() {
        String label63 = "a".repeat(63);
        String name253 = (label63 + ".").repeat(3) + "a".repeat(61);
        return Stream.of(
                arguments("63-char label", label63 + ".example.com", null),
                arguments("64-char label", label63 + "a.example.com", "label longer than 63 characters"),
                arguments("253-char name", name253, null),
                arguments("254-char name", "a" + name253, "name longer than 253 characters"),
                arguments("IDN too long", "ü".repeat(60) + ".example", "not a valid internationalised domain name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lengthLimits")
    void lengthLimits(String rule, String entry, String reason) {
        if (reason == null) {
            assertThat(HostPattern.parse(entry).matches(entry, 80)).as(rule).isTrue();
        } else {
            assertThatThrownBy(() -> HostPattern.parse(entry))
                    .isInstanceOfSatisfying(
                            PatternException.class,
                            e -> assertThat(e.reason()).as(rule).isEqualTo(reason));
        }
    }
}
