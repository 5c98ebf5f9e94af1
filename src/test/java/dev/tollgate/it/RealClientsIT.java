package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Real clients through the packaged proxy: runs {@code scripts/e2e-clients.sh} (curl, Python,
 * Go, Node.js, the JDK HttpClient, skopeo, headless Chromium; see the script) against
 * {@code target/tollgate.jar}, which exists because failsafe runs after {@code package}.
 * The script needs the Debian packages that {@code .ci/run} installs; a client whose tool is
 * missing is reported as skipped by the script, not failed.
 */
class RealClientsIT {
    private static final long TIMEOUT_MINUTES = 10;

    @Test
    void realClientsWorkThroughTollgateAsAksConfiguresThem() throws Exception {
        Path root = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path script = root.resolve("scripts/e2e-clients.sh");
        assertThat(script).exists();
        assertThat(root.resolve("target/tollgate.jar"))
                .as("failsafe runs after package")
                .exists();

        ProcessBuilder pb = new ProcessBuilder("bash", script.toString())
                .directory(root.toFile())
                .redirectErrorStream(true);
        // The script generates its own proxy environment; the build's must not leak in.
        pb.environment().keySet().removeIf(k -> k.toLowerCase().endsWith("_proxy"));
        pb.environment().put("ARTIFACT_DIR", root.resolve("target/e2e").toString());
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(p.getInputStream(), out), "e2e-clients-output");
        reader.start();

        boolean finished = p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            p.destroy(); // SIGTERM: the script's trap stops what it started
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        String output;
        synchronized (out) {
            output = out.toString(StandardCharsets.UTF_8);
        }
        Files.createDirectories(root.resolve("target/e2e"));
        Path log = Files.writeString(root.resolve("target/e2e/e2e-clients.log"), output);
        // the whole table is in the log and in any failure message; the build output gets its verdict
        System.out.println("RealClientsIT: "
                + output.lines()
                        .filter(l -> l.matches("\\d+ passed, .*"))
                        .findFirst()
                        .orElse("no verdict line") + " (full output: " + root.relativize(log) + ")");

        assertThat(finished)
                .as("scripts/e2e-clients.sh finished within %d minutes; output:%n%s", TIMEOUT_MINUTES, output)
                .isTrue();
        assertThat(p.exitValue())
                .as("scripts/e2e-clients.sh exit status; output:%n%s", output)
                .isZero();
        assertThat(output).containsPattern("(?m)^\\d+ passed, 0 failed, \\d+ skipped$");
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
