package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code interception.autoPassthrough}: off by default, nested in YAML, from the environment, checked. */
class AutoPassthroughConfigTest {
    @TempDir
    Path tmp;

    private Path yaml(String text) throws Exception {
        Path f = tmp.resolve("tollgate.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void offByDefaultWithBoundedDefaults() throws Exception {
        assertThat(ConfigLoader.load(yaml(""), Map.of(), Map.of()).autoPassthrough())
                .isEqualTo(new AutoPassthroughSettings(false, 3, Duration.ofMinutes(5), Duration.ofHours(1), 1000));
    }

    @Test
    void nestedYamlThenEnvironment() throws Exception {
        Path f = yaml("interception:\n  autoPassthrough: {enabled: true, failures: 5, window: 2m, ttl: 30m, "
                + "maxHosts: 50}\n");
        assertThat(ConfigLoader.load(f, Map.of(), Map.of()).autoPassthrough())
                .isEqualTo(new AutoPassthroughSettings(true, 5, Duration.ofMinutes(2), Duration.ofMinutes(30), 50));
        assertThat(ConfigLoader.load(f, Map.of("TOLLGATE_INTERCEPTION_AUTO_PASSTHROUGH_TTL", "2h"), Map.of())
                        .autoPassthrough()
                        .ttl())
                .isEqualTo(Duration.ofHours(2));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "enabled: sometimes | interception.autoPassthrough.enabled: \"sometimes\" must be true or false",
                "failures: 0        | interception.autoPassthrough.failures: \"0\" must be a positive whole number",
                "window: soon       | interception.autoPassthrough.window: \"soon\" is not a duration",
                "ttl: 0s            | interception.autoPassthrough.ttl: \"0s\" must be greater than zero",
                "maxHosts: -1       | interception.autoPassthrough.maxHosts: \"-1\" must be a positive whole number",
                "ttls: 1h           | unknown key \"interception.autoPassthrough.ttls\"",
            })
    void badValuesNameTheKey(String setting, String expected) throws Exception {
        Path f = yaml("interception:\n  autoPassthrough: {" + setting.strip() + "}\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected.strip());
    }
}
