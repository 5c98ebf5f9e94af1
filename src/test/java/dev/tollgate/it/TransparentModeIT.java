package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Map;
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
    @Test
    void redirectedClientsGetTheConnectPathToTheirOriginalDestination() throws Exception {
        assertThat(E2eScript.root().resolve("target/tollgate.jar"))
                .as("failsafe runs after package")
                .exists();
        E2eScript.Result r = E2eScript.run("e2e-transparent.sh", Duration.ofMinutes(4), Map.of());
        String output = r.output();
        assertThat(r.finished())
                .as("finished within 4 minutes; output:%n%s", output)
                .isTrue();
        assumeTrue(r.exit() != E2eScript.SKIPPED, output.strip());
        assertThat(r.exit()).as("exit status; output:%n%s", output).isZero();
        assertThat(output)
                .contains("PASS a client lying in Host is refused 409")
                .contains("PASS noProxy name: blind tunnel, the origin's real certificate")
                .containsPattern("(?m)^\\d+ passed, 0 failed$");
    }
}
