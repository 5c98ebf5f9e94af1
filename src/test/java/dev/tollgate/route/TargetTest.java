package dev.tollgate.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "example.com:443,       -1, example.com, 443, example.com:443",
        "EXAMPLE.com.:8443,     -1, example.com, 8443, example.com:8443",
        "example.com,           80, example.com, 80,  example.com:80",
        "[::1]:8080,            -1, ::1,         8080, [::1]:8080",
        "[2001:db8::1],         443, 2001:db8::1, 443, [2001:db8::1]:443",
        "user:pw@example.com:81, 80, example.com, 81,  example.com:81",
        "10.0.0.1:22,           -1, 10.0.0.1,    22,  10.0.0.1:22",
    })
    void parses(String authority, int defaultPort, String host, int port, String printed) {
        Target t = Target.parseAuthority(authority, defaultPort);
        assertThat(t.host()).isEqualTo(host);
        assertThat(t.port()).isEqualTo(port);
        assertThat(t.authority()).isEqualTo(printed);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "example.com        | no port",
                "example.com:0      | outside 1..65535",
                "example.com:99999  | outside 1..65535",
                "example.com:http   | invalid port",
                "::1:443            | must be in brackets",
                "[::1               | unclosed",
                "[::1]x             | garbage after",
                ":443               | no host",
                "exa mple.com:443   | invalid character",
                "a/b:443            | invalid character",
            })
    void rejects(String authority, String reason) {
        assertThatThrownBy(() -> Target.parseAuthority(authority, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
