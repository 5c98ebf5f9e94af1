package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 14 item 8: a port in use stops {@code run} before the CA is loaded or generated. */
class RunPortInUseTest {
    @TempDir
    Path dir;

    @Test
    void portInUseFailsBeforeACaIsGeneratedAndNamesTheAddress() throws Exception {
        Path config = Files.writeString(dir.resolve("tollgate.yaml"), "");
        Path certs = dir.resolve("certs");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String listen = "127.0.0.1:" + taken.getLocalPort();
            CommandLine cli = Main.commandLine();
            StringWriter err = new StringWriter();
            cli.setOut(new PrintWriter(new StringWriter(), true));
            cli.setErr(new PrintWriter(err, true));
            long start = System.nanoTime();
            int exit = cli.execute(
                    "run", "--config", config.toString(), "--listen", listen, "--certs-dir", certs.toString());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).contains("cannot listen on " + listen).contains("already in use");
            assertThat(certs)
                    .as("no CA generated for a proxy that cannot start")
                    .doesNotExist();
            assertThat(took).isLessThan(Duration.ofSeconds(3));
        }
    }
}
