package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transparent listener's key: off by default, from the environment or a flag, never on a port in use by the proxy. */
class TransparentConfigTest {

    @Test
    void offByDefaultAndWhenSaidSo() throws ConfigException {
        assertThat(ConfigLoader.load(null, Map.of(), Map.of()).transparent()).isNull();
        assertThat(ConfigLoader.load(null, Map.of("TOLLGATE_TRANSPARENT_LISTEN", "off"), Map.of())
                        .transparent())
                .isNull();
    }

    /** YAML 1.1 reads an unquoted off as false; the shipped file says {@code listen: off}. */
    @Test
    void anUnquotedOffInTheFileIsOff(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("t.yaml"), "transparent:\n  listen: off\n");
        assertThat(ConfigLoader.load(yaml, Map.of(), Map.of()).transparent()).isNull();
        assertThat(ConfigLoader.load(Path.of("config/tollgate.yaml"), Map.of(), Map.of())
                        .transparent())
                .isNull();
        Path on = Files.writeString(dir.resolve("on.yaml"), "transparent:\n  listen: 0.0.0.0:15001\n");
        assertThat(ConfigLoader.load(on, Map.of(), Map.of()).transparent()).isEqualTo(new HostPort("0.0.0.0", 15001));
    }

    @Test
    void readFromTheEnvironmentAndFlagsWinOverIt() throws ConfigException {
        assertThat(ConfigKey.TRANSPARENT_LISTEN.envName()).isEqualTo("TOLLGATE_TRANSPARENT_LISTEN");
        Map<String, String> env = Map.of("TOLLGATE_TRANSPARENT_LISTEN", "0.0.0.0:15001");
        assertThat(ConfigLoader.load(null, env, Map.of()).transparent()).isEqualTo(new HostPort("0.0.0.0", 15001));
        assertThat(ConfigLoader.load(null, env, Map.of("transparent.listen", "127.0.0.1:15002"))
                        .transparent())
                .isEqualTo(new HostPort("127.0.0.1", 15002));
    }

    @Test
    void theProxyPortIsRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(
                        null, Map.of(), Map.of("listen", "127.0.0.1:8080", "transparent.listen", "0.0.0.0:8080")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("transparent.listen")
                .hasMessageContaining("0.0.0.0:8080")
                .hasMessageContaining("is the proxy's port");
    }

    @Test
    void theAdminPortIsRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("transparent.listen", "127.0.0.1:8081")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("transparent.listen")
                .hasMessageContaining("is the admin listener's port");
    }

    @Test
    void notAnAddressIsRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("TOLLGATE_TRANSPARENT_LISTEN", "everywhere"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TOLLGATE_TRANSPARENT_LISTEN")
                .hasMessageContaining("is not HOST:PORT");
    }
}
