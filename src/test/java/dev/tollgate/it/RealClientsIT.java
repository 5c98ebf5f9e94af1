package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
        Path root = E2eScript.root();
        assertThat(root.resolve("scripts/e2e-clients.sh")).exists();
        assertThat(root.resolve("target/tollgate.jar"))
                .as("failsafe runs after package")
                .exists();
        E2eScript.Result r = E2eScript.run(
                "e2e-clients.sh",
                Duration.ofMinutes(TIMEOUT_MINUTES),
                Map.of("ARTIFACT_DIR", root.resolve("target/e2e").toString()));
        String output = r.output();
        // the whole table is in the log and in any failure message; the build output gets its verdict
        System.out.println("RealClientsIT: "
                + output.lines()
                        .filter(l -> l.matches("\\d+ passed, .*"))
                        .findFirst()
                        .orElse("no verdict line") + " (full output: " + root.relativize(r.log()) + ")");

        assertThat(r.finished())
                .as("scripts/e2e-clients.sh finished within %d minutes; output:%n%s", TIMEOUT_MINUTES, output)
                .isTrue();
        assertThat(r.exit())
                .as("scripts/e2e-clients.sh exit status; output:%n%s", output)
                .isZero();
        assertThat(output).containsPattern("(?m)^\\d+ passed, 0 failed, \\d+ skipped$");
    }
}
