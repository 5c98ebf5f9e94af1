package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 16, scale: the connection limits follow the open-file limit, the per-client cap is off by default. */
class ConnectionBudgetTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "open-file limit {0} -> {1} connections, {2} kept back")
    @CsvSource({
        // a tenth kept back, two descriptors per connection
        "1048576, 471859, 104857",
        "65536,   29491,  6553",
        "20000,   9000,   2000",
        // small limits keep back at least 256 ...
        "1024,    384,    256",
        // ... but never more than half
        "100,     25,     50",
        "2,       1,      1",
    })
    void theTotalIsTwoDescriptorsPerConnectionAfterTheKeptBackShare(long limit, int total, long keptBack) {
        ConnectionBudget b = ConnectionBudget.derive(limit, Integer.MAX_VALUE);
        assertThat(b.maxConnections()).isEqualTo(total);
        assertThat(b.basis()).contains("open-file limit " + limit).contains(keptBack + " kept back");
    }

    @Test
    void anUnknownLimitGivesTheFixedTotalAndSaysSo() {
        ConnectionBudget b = ConnectionBudget.derive(-1, 5);
        assertThat(b.maxConnections()).isEqualTo(ConnectionBudget.UNKNOWN_LIMIT_TOTAL);
        assertThat(b.summary()).contains("open-file limit is unknown").endsWith("maxConnectionsPerClient=5");
    }

    @Test
    void defaultsAreAutoFromThisProcessAndNoPerClientCap() throws Exception {
        ProxyConfig c = ConfigLoader.load(yaml(""), Map.of(), Map.of());
        ConnectionBudget b = c.limits().connections();
        assertThat(b).isEqualTo(ConnectionBudget.derive(ConnectionBudget.openFileLimit(), Integer.MAX_VALUE));
        assertThat(ConnectionBudget.openFileLimit())
                .as("a Linux JVM knows its RLIMIT_NOFILE")
                .isPositive();
        assertThat(b.summary())
                .startsWith("maxConnections=" + b.maxConnections() + " (auto, from the open-file limit ")
                .endsWith("maxConnectionsPerClient=off");
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void explicitValuesWinAndOffIsAcceptedInTheFile() throws Exception {
        ProxyConfig c = ConfigLoader.load(
                yaml("limits: {maxConnections: 500, maxConnectionsPerClient: 20}\n"), Map.of(), Map.of());
        assertThat(c.limits().connections()).isEqualTo(new ConnectionBudget(500, 20, "set by limits.maxConnections"));
        for (String off : new String[] {"off", "\"off\"", "Off"}) {
            ProxyConfig file = ConfigLoader.load(
                    yaml("limits:\n  maxConnections: auto\n  maxConnectionsPerClient: " + off + "\n"),
                    Map.of(),
                    Map.of());
            assertThat(file.limits().connections().summary()).endsWith("maxConnectionsPerClient=off");
        }
        ProxyConfig env =
                ConfigLoader.load(yaml(""), Map.of("TOLLGATE_LIMITS_MAX_CONNECTIONS_PER_CLIENT", "OFF"), Map.of());
        assertThat(env.limits().connections().maxConnectionsPerClient()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aTotalBeyondTheOpenFileLimitIsWarnedAbout() throws Exception {
        long limit = ConnectionBudget.openFileLimit();
        ProxyConfig c = ConfigLoader.load(yaml("limits: {maxConnections: " + limit + "}\n"), Map.of(), Map.of());
        assertThat(c.limits().connections().maxConnections()).isEqualTo((int) limit);
        assertThat(c.warnings())
                .singleElement()
                .asString()
                .startsWith("limits.maxConnections: " + limit + " connections need more than the open-file limit");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "limits: {maxConnections: 0}           | limits.maxConnections: \"0\" must be a positive whole number or auto",
                "limits: {maxConnections: lots}        | limits.maxConnections: \"lots\" must be a positive whole number or auto",
                "limits: {maxConnectionsPerClient: -3} | limits.maxConnectionsPerClient: \"-3\" must be a positive whole number or off",
                "limits: {maxConnectionsPerClient: 1k} | limits.maxConnectionsPerClient: \"1k\" must be a positive whole number or off",
            })
    void badValuesNameTheKeyTheValueAndTheChoices(String yaml, String expected) throws Exception {
        Path f = yaml(yaml.strip());
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected.strip());
    }

    private Path yaml(String text) throws Exception {
        return Files.writeString(dir.resolve("tollgate.yaml"), text);
    }
}
