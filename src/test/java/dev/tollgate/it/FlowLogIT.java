package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tollgate.flow.FlowLogSink;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** What reaches the "flows" logger: one event per exchange, its fields as key-value pairs, no secrets. */
class FlowLogIT {

    @Test
    void oneEventPerExchangeWithFieldsAndNoSecrets() throws Exception {
        Logger flows = (Logger) LoggerFactory.getLogger(FlowLogSink.LOGGER);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        flows.addAppender(captured);
        try (TestOrigin origin = new TestOrigin();
                ProxyHarness proxy = ProxyHarness.start()) {
            HttpResponse<String> r = proxy.client()
                    .send(
                            HttpRequest.newBuilder(URI.create(origin.url("/echo?x=1")))
                                    .header("Authorization", "Bearer SECRET-A")
                                    .header("Cookie", "session=SECRET-C")
                                    .POST(HttpRequest.BodyPublishers.ofString("hello"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            try (ProxySocket s = new ProxySocket(proxy.port())) {
                s.send("GET http://user:SECRET-U@127.0.0.1:" + origin.port() + "/echo HTTP/1.1\r\nHost: x\r\n"
                                + "Proxy-Authorization: Basic SECRET-P\r\nConnection: close\r\n\r\n")
                        .readToEnd();
            }
            proxy.nextFlows(2); // ended, so the log sink has both: closing the proxy writes them out
        } finally {
            flows.detachAppender(captured);
        }
        assertThat(captured.list).hasSize(2);
        ILoggingEvent first = captured.list.get(0);
        Map<String, Object> fields = new HashMap<>();
        for (KeyValuePair kv : first.getKeyValuePairs()) {
            fields.put(kv.key, kv.value);
        }
        assertThat(fields)
                .containsEntry("method", "POST")
                .containsEntry("status", 200)
                .containsEntry("mode", "forward")
                .containsEntry("bytesUp", 5L)
                .containsEntry("bytesDown", 5L);
        assertThat(first.getFormattedMessage())
                .contains("POST http://127.0.0.1:")
                .contains(" forward ")
                .contains(" 200 ");
        for (ILoggingEvent e : captured.list) {
            String everything = e.getFormattedMessage() + " " + e.getKeyValuePairs();
            assertThat(everything).doesNotContain("SECRET");
        }
    }
}
