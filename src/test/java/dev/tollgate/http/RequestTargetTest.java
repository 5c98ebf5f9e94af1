package dev.tollgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestTargetTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "http://example.com/a?b=1,        example.com:80,   /a?b=1, example.com,      http://example.com/a?b=1",
        "http://example.com,              example.com:80,   /,      example.com,      http://example.com/",
        "http://example.com?x,            example.com:80,   /?x,    example.com,      http://example.com/?x",
        "HTTP://Example.COM:8080/p#frag,  example.com:8080, /p,     example.com:8080, http://example.com:8080/p",
        "http://u:secret@example.com/p,   example.com:80,   /p,     example.com,      http://example.com/p",
        "http://[::1]:81/,                [::1]:81,         /,      [::1]:81,         http://[::1]:81/",
        "https://example.com/s,           example.com:443,  /s,     example.com,      https://example.com/s",
    })
    void splitsTargetAndOriginForm(String uri, String target, String originForm, String host, String absolute) {
        RequestTarget t = RequestTarget.parseAbsolute(uri);
        assertThat(t.target().authority()).isEqualTo(target);
        assertThat(t.originForm()).isEqualTo(originForm);
        assertThat(t.host()).isEqualTo(host);
        assertThat(t.absolute()).isEqualTo(absolute);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/relative/path         | not an absolute URI",
                "ftp://example.com/     | scheme \"ftp\" is not supported",
                "http:///nohost         | no host",
                "http://example.com:0/  | outside 1..65535",
            })
    void rejects(String uri, String reason) {
        assertThatThrownBy(() -> RequestTarget.parseAbsolute(uri)).hasMessageContaining(reason);
    }
}
