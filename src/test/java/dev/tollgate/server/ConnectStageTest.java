package dev.tollgate.server;

import static dev.tollgate.server.PipelineRig.ascii;
import static dev.tollgate.server.PipelineRig.written;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.FlowMode;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CONNECT stage's refusals, answered in raw bytes once the HTTP stages are gone. Reaching
 * the origin (502/504 on the CONNECT, then 200) needs real sockets: ConnectCornersIT, TunnelIT.
 */
class ConnectStageTest {
    private PipelineRig rig;

    @AfterEach
    void close() {
        rig.close();
    }

    private EmbeddedChannel connect(Map<String, Object> settings, String request) throws Exception {
        rig = new PipelineRig(true, settings);
        EmbeddedChannel client = PipelineRig.client();
        rig.next.accepted(client);
        client.writeInbound(ascii(request));
        return client;
    }

    @Test
    void portOutsideConnectPortsIs403WithTheRule() throws Exception {
        EmbeddedChannel client = connect(Map.of("connectPorts", "443"), "CONNECT mail.test:25 HTTP/1.1\r\n\r\n");
        assertThat(written(client))
                .startsWith("HTTP/1.1 403 Forbidden\r\n")
                .contains("CONNECT to port 25 is not allowed");
        assertThat(client.isOpen()).isFalse();
        assertThat(rig.flows).singleElement().satisfies(f -> {
            assertThat(f.method()).isEqualTo("CONNECT");
            assertThat(f.url()).isEqualTo("mail.test:25");
            assertThat(f.mode()).isEqualTo(FlowMode.DENY);
            assertThat(f.status()).isEqualTo(403);
        });
    }

    @Test
    void targetWithoutAPortIs400() throws Exception {
        EmbeddedChannel client = connect(Map.of(), "CONNECT origin.test HTTP/1.1\r\n\r\n");
        assertThat(written(client)).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("bad CONNECT target");
        assertThat(rig.flows)
                .singleElement()
                .satisfies(f -> assertThat(f.status()).isEqualTo(400));
    }

    @Test
    void egressDeniedTargetIs403AndNothingIsOpened() throws Exception {
        EmbeddedChannel client =
                connect(Map.of("egress.deny", "169.254.169.254"), "CONNECT 169.254.169.254:80 HTTP/1.1\r\n\r\n");
        assertThat(written(client)).startsWith("HTTP/1.1 403").contains("egress policy");
        assertThat(rig.flows)
                .singleElement()
                .satisfies(f -> assertThat(f.mode()).isEqualTo(FlowMode.DENY));
    }
}
