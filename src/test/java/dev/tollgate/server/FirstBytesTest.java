package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one first-bytes classifier: what a few bytes say, and when they cannot tell yet. */
class FirstBytesTest {

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s.replace("\\\\r", "\\r").replace("\\\\n", "\\n"), StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "GET / HTTP/1.1                | HTTP",
                "OPTIONS * HTTP/1.1            | HTTP",
                "UPDATEREDIRECTREF / HTTP/1.1  | HTTP",
                "SSH-2.0-OpenSSH_9.6           | OTHER",
                "PING\\r\\n                    | OTHER",
                "get / HTTP/1.1                | OTHER",
                "ABCDEFGHIJKLMNOPQRSTUV        | OTHER",
                "' GET /'                      | OTHER",
            })
    void classifiesByTheFirstBytes(String text, FirstBytes.Protocol expected) {
        assertThat(FirstBytes.classify(bytes(text))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"G", "GE", "POST", "CONNECT"})
    void capitalsWithoutTheirSpaceYetAreUndecided(String text) {
        assertThat(FirstBytes.classify(bytes(text))).isNull();
    }

    @Test
    void aTlsHandshakeRecordIsTls() {
        assertThat(FirstBytes.classify(Unpooled.wrappedBuffer(new byte[] {0x16, 0x03, 0x01})))
                .isEqualTo(FirstBytes.Protocol.TLS);
    }
}
