package dev.tollgate.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.policy.IndexedPatternException;
import dev.tollgate.policy.NoProxyList;
import dev.tollgate.policy.PatternException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based fuzzing of the noProxy parser, the one piece that takes operator text and
 * cluster text alike. Tries per property: {@code -Djqwik.tries.default=N} (junit-platform.properties
 * keeps CI short; raise it to fuzz longer).
 */
class PatternParserProperties {

    @Provide
    Arbitrary<String> lists() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcxyz019.-*:/[]%_ ,\t").ofMaxLength(20),
                Arbitraries.of(
                        "*",
                        ".svc",
                        "10.0.0.0/8",
                        "::1",
                        "[::1]:443",
                        "*.example.com",
                        "example.com:8080",
                        "bücher.example",
                        "192.168.0.1/33",
                        "a..b",
                        "10.1.2.3/8",
                        "fe80::1%eth0",
                        "http://x"),
                Arbitraries.strings().ofMaxLength(12));
        return piece.list().ofMaxSize(8).map(l -> String.join(",", l));
    }

    @Property
    void parsesOrRefusesWithAReasonNeverAnythingElse(@ForAll("lists") String text) {
        try {
            NoProxyList list = NoProxyList.parse(text);
            // what it prints parses back to the same list
            assertThat(NoProxyList.parse(list.toString()).toString()).isEqualTo(list.toString());
        } catch (IndexedPatternException e) {
            assertThat(e.getMessage()).isNotBlank();
            assertThat(e.cause()).isInstanceOf(PatternException.class);
        }
    }

    @Property
    void matchingNeverThrows(@ForAll("lists") String text, @ForAll("hosts") String host, @ForAll int port) {
        NoProxyList list;
        try {
            list = NoProxyList.parse(text);
        } catch (IndexedPatternException e) {
            return;
        }
        list.matches(host, port);
        list.firstMatch(host, port);
    }

    @Provide
    Arbitrary<String> hosts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcxyz019.-:[]%").ofMaxLength(30),
                Arbitraries.of("example.com", "a.example.com", "10.1.2.3", "::ffff:10.1.2.3", "[::1]", "EXAMPLE.COM."));
    }
}
