package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class NoProxyListTest {
    private static final NoProxyList LIST =
            NoProxyList.parse("api.example.com:8443, .example.com, 10.0.0.0/8, 10.1.2.3, [::1]:8080, fc00::/7,"
                    + " *.corp.internal, bücher.example, *:9999");

    @ParameterizedTest(name = "{0}:{1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                // host                | port | first matching pattern, or empty for none
                "api.example.com       | 8443 | api.example.com:8443",
                "api.example.com       | 443  | .example.com",
                "example.com           | -1   | .example.com",
                "deep.a.example.com    | 80   | .example.com",
                "notexample.com        | 80   | ''",
                "10.1.2.3              | 80   | 10.0.0.0/8",
                "::ffff:10.9.9.9       | 80   | 10.0.0.0/8",
                "11.0.0.1              | 80   | ''",
                "::1                   | 8080 | [::1]:8080",
                "[::1]                 | 80   | ''",
                "fd00::1               | 80   | fc00::/7",
                "corp.internal         | 80   | .corp.internal",
                "HOST.Corp.Internal.   | 80   | .corp.internal",
                "www.xn--bcher-kva.example | 80 | xn--bcher-kva.example",
                "anything.else         | 9999 | *:9999",
                "anything.else         | 80   | ''",
                "''                    | 80   | ''",
            })
    void firstMatch(String host, int port, String expected) {
        HostPattern match = LIST.firstMatch(host, port);
        assertThat(match == null ? "" : match.toString()).isEqualTo(expected);
        assertThat(LIST.matches(host, port)).isEqualTo(!expected.isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "later specific entry loses | .example.com, www.example.com    | www.example.com | .example.com",
                "earlier specific wins      | www.example.com, .example.com    | www.example.com | www.example.com",
                "star first wins            | *, example.com                   | example.com     | *",
                "star last loses            | example.com, *                   | example.com     | example.com",
                "same name, port decides    | example.com:1, example.com:2     | example.com     | example.com:2",
                "address order              | 10.1.2.3, 10.0.0.0/8             | 10.1.2.3        | 10.1.2.3",
            })
    void firstMeansFirstInListOrder(String rule, String list, String host, String expected) {
        int port = rule.contains("port") ? 2 : 80;
        assertThat(NoProxyList.parse(list).firstMatch(host, port)).as(rule).hasToString(expected);
    }

    /** The index must agree with the obvious linear scan on every kind of entry and target. */
    @ParameterizedTest(name = "{0}:{1}")
    @MethodSource("targets")
    void indexAgreesWithLinearScan(String host, int port) {
        HostPattern linear = LIST.patterns().stream()
                .filter(p -> p.matches(host, port))
                .findFirst()
                .orElse(null);
        assertThat(LIST.firstMatch(host, port)).isSameAs(linear);
    }

    static Stream<Arguments> targets() {
        List<String> hosts = List.of(
                "api.example.com",
                "example.com",
                "x.api.example.com",
                "com",
                "10.1.2.3",
                "10.255.0.1",
                "::1",
                "[::1]",
                "fd00::2",
                "corp.internal",
                "a.corp.internal",
                "bücher.example",
                "other.org",
                "a..example.com",
                "10.0.0.256",
                "");
        List<Arguments> out = new ArrayList<>();
        for (String host : hosts) {
            for (int port : new int[] {-1, 80, 8080, 8443, 9999}) {
                out.add(Arguments.of(host, port));
            }
        }
        return out.stream();
    }

    @Test
    void commaListSkipsBlankItemsAndTrims() {
        NoProxyList list = NoProxyList.parse(" a.com, ,.b.com,,10.0.0.0/8 , ");
        assertThat(list).hasToString("a.com,.b.com,10.0.0.0/8");
        assertThat(list.patterns()).hasSize(3);
        assertThat(NoProxyList.parse(list.toString())).hasToString(list.toString());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(
            delimiter = '|',
            value = {
                "''      ",
                "' , ,'  ",
            })
    void blankListIsEmpty(String text) {
        assertThat(NoProxyList.parse(text)).isSameAs(NoProxyList.EMPTY);
        assertThat(NoProxyList.EMPTY.isEmpty()).isTrue();
        assertThat(NoProxyList.EMPTY.matches("example.com", 80)).isFalse();
        assertThat(NoProxyList.EMPTY).hasToString("");
    }

    @Test
    void warnsAboutRewrites() {
        NoProxyList list = NoProxyList.parse(List.of("*.example.com", "a.com", "10.1.2.3/8", " *.corp.internal:443 "));
        assertThat(list.warnings())
                .containsExactly(
                        "\"*.example.com\" accepted as \".example.com\" (matches example.com and its subdomains)",
                        "\"10.1.2.3/8\" accepted as \"10.0.0.0/8\" (host bits cleared)",
                        "\"*.corp.internal:443\" accepted as \".corp.internal:443\""
                                + " (matches corp.internal and its subdomains)");
        assertThat(NoProxyList.parse("a.com").warnings()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a.com, b..com                 | 1 | b..com       | empty label",
                "a.com,,10.0.0.0/33            | 2 | 10.0.0.0/33  | prefix length must be 0..32",
                "foo*.com                      | 0 | foo*.com     | '*' is allowed only as the whole entry or as a leading \"*.\"",
                "a.com, b.com, c.com, x.com:0  | 3 | x.com:0      | port must be a number in 1..65535",
            })
    void reportsIndexOfFirstBadEntry(String list, int index, String value, String reason) {
        assertThatThrownBy(() -> NoProxyList.parse(list)).isInstanceOfSatisfying(IndexedPatternException.class, e -> {
            assertThat(e.index()).isEqualTo(index);
            assertThat(e.cause().value().strip()).isEqualTo(value);
            assertThat(e.cause().reason()).isEqualTo(reason);
            assertThat(e.getMessage()).isEqualTo(e.cause().getMessage()).doesNotStartWith("[");
        });
    }

    @Test
    void listFormReportsIndexToo() {
        assertThatThrownBy(() -> NoProxyList.parse(List.of("a.com", "", "10.0.0.0/33")))
                .isInstanceOfSatisfying(IndexedPatternException.class, e -> {
                    assertThat(e.index()).isEqualTo(2);
                    assertThat(e).hasMessage("\"10.0.0.0/33\" is not a CIDR: prefix length must be 0..32");
                });
    }

    @Test
    void patternsAreImmutable() {
        assertThat(LIST.patterns()).isUnmodifiable();
        assertThat(LIST.warnings()).isUnmodifiable();
    }

    @Test
    void largeListStillMatchesBySuffix() {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            entries.add(".svc" + i + ".example.com");
            entries.add("10." + i + ".0.0/16");
        }
        NoProxyList list = NoProxyList.parse(entries);
        assertThat(list.firstMatch("a.b.svc249.example.com", 443)).hasToString(".svc249.example.com");
        assertThat(list.firstMatch("10.249.3.4", 443)).hasToString("10.249.0.0/16");
        assertThat(list.matches("svc250.example.com", 443)).isFalse();
        assertThat(list.matches("10.250.0.1", 443)).isFalse();
    }
}
