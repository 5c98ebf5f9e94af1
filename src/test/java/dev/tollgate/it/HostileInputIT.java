package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Smuggling and malformed requests: each is refused with a clear status, the connection is
 * closed, and an origin that records every byte it receives proves it never saw a second,
 * ambiguous request.
 */
class HostileInputIT {
    static RecordingOrigin recorder;
    static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        recorder = new RecordingOrigin();
        proxy = ProxyHarness.start(Map.of("limits.maxHeaderCount", "20", "connectPorts", "443"));
    }

    /** What reached the origin since the test's {@code recorder.clear()}, polled for with a marker request. */
    private static List<String> received() throws Exception {
        return recorder.receivedBefore(proxy.port());
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        recorder.close();
    }

    private static String send(String head) throws Exception {
        try (ProxySocket s = new ProxySocket(proxy.port())) {
            return s.send(head).readToEnd();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "CL and TE          | 400 | Content-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n",
                "two CLs            | 400 | Content-Length: 5\\r\\nContent-Length: 6\\r\\n\\r\\nhello!",
                "CL list            | 400 | Content-Length: 5, 5\\r\\n\\r\\nhello",
                "TE gzip chunked    | 501 | Transfer-Encoding: gzip, chunked\\r\\n\\r\\n0\\r\\n\\r\\n",
                "TE identity        | 400 | Transfer-Encoding: identity\\r\\nContent-Length: 3\\r\\n\\r\\nabc",
                "TE chunked twice   | 400 | Transfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n",
                "NUL in value       | 400 | X-A: a\\u0000b\\r\\n\\r\\n",
                "CR in value        | 400 | X-A: a\\rb\\r\\n\\r\\n",
                "space in name      | 400 | Bad Name: v\\r\\n\\r\\n",
                "space before colon | 400 | Transfer-Encoding : chunked\\r\\n\\r\\n0\\r\\n\\r\\n",
                "two Hosts          | 400 | Host: evil.example\\r\\n\\r\\n",
                "bare LF            | 400 | X-A: b\\n\\n",
            })
    void refusedAndNeverRelayed(String name, int status, String tail) throws Exception {
        recorder.clear();
        String request = "POST http://127.0.0.1:" + recorder.port() + "/r HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + tail.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0000", "\u0000");
        String answer = send(request);
        assertThat(answer).as(name).startsWith("HTTP/1.1 " + status).containsIgnoringCase("connection: close");
        assertThat(received()).as(name + ": the origin must not see it").isEmpty();
    }

    @Test
    void chunkSizeOverflowCutsTheRequestOffAt400() throws Exception {
        recorder.clear();
        String answer = send("POST http://127.0.0.1:" + recorder.port() + "/r HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400").containsIgnoringCase("connection: close");
        assertThat(String.join("", received())).doesNotContain("/smuggled").doesNotContain("fffffffff");
    }

    @Test
    void connectionCannotStripTheFramingOfABody() throws Exception {
        recorder.clear();
        String answer = send("POST http://127.0.0.1:" + recorder.port() + "/c HTTP/1.1\r\nHost: x\r\n"
                + "Connection: content-length, close\r\nContent-Length: 34\r\n\r\n"
                + "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(received())
                .singleElement()
                .asString()
                .containsIgnoringCase("content-length: 34")
                .contains("GET /smuggled"); // as the body of the one request, framed by its length
    }

    @Test
    void chunkedAnswerToAnHttp10ClientIsSentRawAndClosed() throws Exception {
        try (RawOrigin chunky = new RawOrigin(s -> {
            RawOrigin.readHead(s.getInputStream());
            RawOrigin.write(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            s.getInputStream().read(); // keeps its side open: the close the client sees must be the proxy's own
        })) {
            String answer = send("GET http://127.0.0.1:" + chunky.port() + "/ HTTP/1.0\r\n\r\n");
            assertThat(answer)
                    .startsWith("HTTP/1.1 200")
                    .doesNotContainIgnoringCase("transfer-encoding")
                    .endsWith("\r\n\r\nhello");
        }
    }

    @Test
    void obsFoldIsUnfoldedIntoOneHeader() throws Exception {
        recorder.clear();
        String answer = send("GET http://127.0.0.1:" + recorder.port() + "/f HTTP/1.1\r\nHost: x\r\nX-Fold: a\r\n b\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(received())
                .singleElement()
                .asString()
                .contains("X-Fold: a b\r\n")
                .doesNotContain("\r\n b");
    }

    @Test
    void tooManyHeaderFieldsIs431() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        assertThat(send("GET http://127.0.0.1:" + recorder.port() + "/ HTTP/1.1\r\n" + many + "\r\n"))
                .startsWith("HTTP/1.1 431");
    }

    @Test
    void connectOutsideTheAllowedPortsIs403AndToTheProxyItselfIs508() throws Exception {
        assertThat(send("CONNECT example.test:25 HTTP/1.1\r\n\r\n"))
                .startsWith("HTTP/1.1 403")
                .contains("connectPorts");
        try (ProxyHarness open = ProxyHarness.start(Map.of())) {
            try (ProxySocket s = new ProxySocket(open.port())) {
                assertThat(s.send("CONNECT 127.0.0.1:" + open.port() + " HTTP/1.1\r\n\r\n")
                                .readToEnd())
                        .startsWith("HTTP/1.1 508")
                        .contains("this proxy itself");
            }
            try (ProxySocket s = new ProxySocket(open.port())) {
                assertThat(s.send("GET http://localhost:" + open.port()
                                        + "/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                                .readToEnd())
                        .startsWith("HTTP/1.1 200")
                        .contains("Tollgate");
            }
        }
    }

    @Test
    void tooManyPipelinedRequestsEndTheConnection() throws Exception {
        try (TestOrigin origin = new TestOrigin();
                ProxyHarness limited = ProxyHarness.start(Map.of("limits.maxPipelined", "2"));
                ProxySocket s = new ProxySocket(limited.port())) {
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                burst.append("GET ").append(origin.url("/slow/200")).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            s.send(burst.toString()).readToEnd(); // ends: the proxy closed the connection
            limited.awaitFlow(
                    f -> f.error() != null && f.error().contains("maxPipelined"), "the refused pipelined request");
        }
    }

    @Test
    void garbageConnectAuthorityIs400() throws Exception {
        assertThat(send("CONNECT [not-ipv6:443 HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(send("CONNECT host:99999 HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400");
    }
}
