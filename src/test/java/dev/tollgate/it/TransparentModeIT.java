package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Transparent mode for real: runs {@code scripts/e2e-transparent.sh}, which makes its own
 * network namespaces (client and gateway), an iptables REDIRECT (and a TPROXY rule) to the
 * packaged proxy's {@code --transparent} listener, origins on the gateway namespace's addresses,
 * and a curl that knows of no proxy. The script checks the responses and the flow lines, and
 * removes the namespaces (and with them every rule) on any exit. Skipped with the script's
 * reason when it cannot run here (not root, no ip or iptables, no namespace).
 */
class TransparentModeIT {
    private static final int SKIPPED = 77;

    @Test
    void redirectedClientsGetTheConnectPathToTheirOriginalDestination() throws Exception {
        Path root = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        assertThat(root.resolve("target/tollgate.jar"))
                .as("failsafe runs after package")
                .exists();
        ProcessBuilder pb = new ProcessBuilder(
                        "bash", root.resolve("scripts/e2e-transparent.sh").toString())
                .directory(root.toFile())
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.toLowerCase().endsWith("_proxy"));
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(p.getInputStream(), out), "e2e-transparent-output");
        reader.start();
        boolean finished = p.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
            p.destroy(); // SIGTERM: the script's trap deletes its namespaces
            p.waitFor(20, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        String output;
        synchronized (out) {
            output = out.toString(StandardCharsets.UTF_8);
        }
        Files.createDirectories(root.resolve("target/e2e"));
        Files.writeString(root.resolve("target/e2e/e2e-transparent.log"), output);
        assertThat(finished)
                .as("finished within 4 minutes; output:%n%s", output)
                .isTrue();
        assumeTrue(p.exitValue() != SKIPPED, output.strip());
        assertThat(p.exitValue()).as("exit status; output:%n%s", output).isZero();
        assertThat(output)
                .contains("PASS a client lying in Host is refused 409")
                .contains("PASS noProxy name: blind tunnel, the origin's real certificate")
                .containsPattern("(?m)^\\d+ passed, 0 failed$");
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the process went away; what was read is kept
        }
    }
}
