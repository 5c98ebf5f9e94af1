package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        Path f = dir.resolve("tollgate.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void defaultsWhenNothingIsGiven() throws Exception {
        ProxyConfig c = ConfigLoader.load(yaml(""), Map.of(), Map.of());
        assertThat(c.listen()).isEqualTo(new HostPort("0.0.0.0", 8080));
        assertThat(c.noProxy().isEmpty()).isTrue();
        assertThat(c.allowClients().toString()).contains("10.0.0.0/8").contains("127.0.0.0/8");
        assertThat(c.flowLog()).isEqualTo(FlowFormat.TEXT);
        assertThat(c.timeouts().connect()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.intercept()).isTrue();
        assertThat(c.timeouts().clientFirstByte()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void fileThenEnvironmentThenFlags() throws Exception {
        Path f = yaml(
                "listen: 127.0.0.1:3128\nnoProxy: [a.example, .b.example]\nflowLog: json\ntimeouts:\n  connect: 5s\n");
        ProxyConfig fileOnly = ConfigLoader.load(f, Map.of(), Map.of());
        assertThat(fileOnly.listen().port()).isEqualTo(3128);
        assertThat(fileOnly.noProxy().matches("x.b.example", 443)).isTrue();
        assertThat(fileOnly.flowLog()).isEqualTo(FlowFormat.JSON);
        assertThat(fileOnly.timeouts().connect()).isEqualTo(Duration.ofSeconds(5));

        Map<String, String> env = Map.of(
                "TOLLGATE_LISTEN",
                "127.0.0.1:9000",
                "TOLLGATE_TIMEOUTS_CONNECT",
                "250ms",
                "TOLLGATE_NO_PROXY",
                "c.example,10.0.0.0/8");
        ProxyConfig withEnv = ConfigLoader.load(f, env, Map.of());
        assertThat(withEnv.listen().port()).isEqualTo(9000);
        assertThat(withEnv.timeouts().connect()).isEqualTo(Duration.ofMillis(250));
        assertThat(withEnv.noProxy().matches("a.example", 80)).isFalse();
        assertThat(withEnv.noProxy().matches("10.1.2.3", 80)).isTrue();

        Map<String, Object> flags = new HashMap<>();
        flags.put("listen", "127.0.0.1:9100");
        flags.put("noProxy", null); // a flag not given does not override
        ProxyConfig withFlags = ConfigLoader.load(f, env, flags);
        assertThat(withFlags.listen().port()).isEqualTo(9100);
        assertThat(withFlags.noProxy().matches("c.example", 80)).isTrue();
    }

    @Test
    void wildcardEntryIsAcceptedWithAWarning() throws Exception {
        ProxyConfig c = ConfigLoader.load(yaml("noProxy: ['*.corp.example']\n"), Map.of(), Map.of());
        assertThat(c.noProxy().matches("corp.example", 443)).isTrue();
        assertThat(c.warnings())
                .singleElement()
                .asString()
                .startsWith("noProxy: ")
                .contains("*.corp.example");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "noProxy: [a.example, b.example, c.example, 10.0.0.0/33] | noProxy[3]: \"10.0.0.0/33\" is not a CIDR",
                "listen: nonsense                   | listen: \"nonsense\" is not HOST:PORT",
                "listen: 1.2.3.4:70000              | listen: \"1.2.3.4:70000\" has a port outside 0..65535",
                "flowLog: xml                       | flowLog: \"xml\" must be text or json",
                "timeouts: {connect: soon}          | timeouts.connect: \"soon\" is not a duration",
                "timeouts: {connect: 0s}            | timeouts.connect: \"0s\" must be greater than zero",
                "timeouts: {clientFirstByte: 0ms}   | timeouts.clientFirstByte: \"0ms\" must be greater than zero",
                "timeouts: {clientFirstByte: 6s}    | timeouts.clientFirstByte: \"6s\" is too long: at most 5s",
                "intercept: maybe                   | intercept: \"maybe\" must be true or false",
                "parentProxy: https://p:3128        | parentProxy: \"https://p:3128\" must be an http:// URL",
                "parentProxy: http://u:pw@p:3128    | parentProxy: \"http://u:pw@p:3128\" must be http://HOST:PORT with no path or credentials",
                "allowClients: [10.0.0.0/8, nope]   | allowClients[1]: \"nope\"",
                "hosts: {a.test: not-an-ip}         | hosts.a.test: \"not-an-ip\" is not an IP address",
                "limits: {maxHeaderSize: -1}        | limits.maxHeaderSize: \"-1\" must be a positive whole number",
                "http2: {maxConcurrentStreams: 0}   | http2.maxConcurrentStreams: \"0\" must be a positive whole number",
                "http2: {resetWindow: 500ms}        | http2.resetWindow: \"500ms\" must be at least 1s",
                "lissten: 0.0.0.0:1                 | unknown key \"lissten\"",
                "timeouts: {conect: 1s}             | unknown key \"timeouts.conect\"",
                "listen: [a, b]                     | listen: expected a single value",
                "'['                                | not valid YAML",
                "admin: {listen: everywhere}        | admin.listen: \"everywhere\" is not HOST:PORT",
                "admin: {listen: '127.0.0.1:8080'}  | admin.listen: \"127.0.0.1:8080\" is the proxy's port (listen: 0.0.0.0:8080)",
                "admin: {flows: {max: 0}}           | admin.flows.max: \"0\" must be a positive whole number",
                "admin: {flows: {maxBytes: 16MB}}   | admin.flows.maxBytes: \"16MB\" is not a size",
                "admin: {capture: {maxBodyBytes: 4GiB}} | admin.capture.maxBodyBytes: \"4GiB\" must be below 2GiB",
                "admin: {capture: {hosts: [a..b]}}  | admin.capture.hosts[0]: \"a..b\"",
                "admin: {flows: {maxx: 1}}          | unknown key \"admin.flows.maxx\"",
            })
    void badValuesNameTheKeyTheValueAndTheReason(String yaml, String expected) throws Exception {
        Path f = yaml(yaml.strip());
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected.strip());
    }

    @Test
    void errorKeyIsExposedForFlagMessages() throws Exception {
        Map<String, Object> flags = Map.of("noProxy", List.of("ok.example", "bad..example"));
        assertThatThrownBy(() -> ConfigLoader.load(yaml(""), Map.of(), flags))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("noProxy[1]"));
    }

    @Test
    void missingExplicitFileIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml"), Map.of(), Map.of()))
                .hasMessageContaining("nope.yaml")
                .hasMessageContaining("does not exist");
    }

    @Test
    void everyKeyHasAnEnvironmentName() {
        assertThat(ConfigKey.TIMEOUT_FIRST_BYTE.envName()).isEqualTo("TOLLGATE_TIMEOUTS_FIRST_BYTE");
        assertThat(ConfigKey.NO_PROXY.envName()).isEqualTo("TOLLGATE_NO_PROXY");
        assertThat(ConfigKey.LIMIT_IDLE_PER_UPSTREAM.envName()).isEqualTo("TOLLGATE_LIMITS_MAX_IDLE_PER_UPSTREAM");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "TOLLGATE_FLOW_LOG       | xml         | TOLLGATE_FLOW_LOG: \"xml\" must be text or json",
                "TOLLGATE_TIMEOUTS_CONNECT | soon      | TOLLGATE_TIMEOUTS_CONNECT: \"soon\" is not a duration",
                "TOLLGATE_NO_PROXY       | a.example,10.0.0.0/33 | TOLLGATE_NO_PROXY[1]: \"10.0.0.0/33\" is not a CIDR",
                "TOLLGATE_HOSTS          | a.test=nope | TOLLGATE_HOSTS.a.test: \"nope\" is not an IP address",
                "TOLLGATE_HOSTS          | a.test      | TOLLGATE_HOSTS: \"a.test\" is not name=address",
            })
    void badEnvironmentValuesNameTheVariable(String variable, String value, String expected) throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(yaml(""), Map.of(variable.strip(), value.strip()), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(expected.strip());
    }

    @Test
    void aFlagOverridingABadEnvironmentValueIsNamedAsTheKey() throws Exception {
        Map<String, String> env = Map.of("TOLLGATE_FLOW_LOG", "json");
        assertThatThrownBy(() -> ConfigLoader.load(yaml(""), env, Map.of("flowLog", "xml")))
                .hasMessage("flowLog: \"xml\" must be text or json");
    }

    @ParameterizedTest
    @CsvSource({"ca", "caCert", "caKey", "caPasswordFile", "upstreamTrust", "proxyAuthFile"})
    void aMissingFileNamesTheKeyTheValueAndWhere(String key) throws Exception {
        Map<String, Object> flags = new HashMap<>(Map.of(key, "no/such.pem"));
        String partner = key.equals("caCert") ? "caKey" : key.equals("caKey") ? "caCert" : null;
        if (partner != null) {
            flags.put(
                    partner, Files.writeString(dir.resolve("partner.pem"), "x").toString());
        }
        assertThatThrownBy(() -> ConfigLoader.load(yaml(""), Map.of(), flags))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo(key))
                .hasMessageContaining(key + ": \"no/such.pem\" does not exist")
                .hasMessageContaining(Path.of("no/such.pem").toAbsolutePath().toString());
    }

    @Test
    void aDirectoryGivenAsAFileIsRefused() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(yaml(""), Map.of(), Map.of("upstreamTrust", dir.toString())))
                .hasMessage("upstreamTrust: \"" + dir + "\" is a directory, not a file");
    }

    @Test
    void caCertWithoutCaKeyIsRefused() throws Exception {
        Path cert = Files.writeString(dir.resolve("ca.pem"), "x");
        assertThatThrownBy(() -> ConfigLoader.load(yaml(""), Map.of(), Map.of("caCert", cert.toString())))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("caCert"))
                .hasMessageContaining("needs caKey");
        assertThatThrownBy(() -> ConfigLoader.load(yaml(""), Map.of(), Map.of("caKey", cert.toString())))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("caKey"))
                .hasMessageContaining("needs caCert");
    }

    @Test
    void adminListenerDefaultsToLoopbackAndCanBeTurnedOff() throws Exception {
        ProxyConfig.Admin defaults =
                ConfigLoader.load(yaml(""), Map.of(), Map.of()).admin();
        assertThat(defaults.listen()).isEqualTo(new HostPort("127.0.0.1", 8081));
        assertThat(defaults.flowsMax()).isEqualTo(10_000);
        assertThat(defaults.flowsMaxBytes()).isEqualTo(32L << 20);
        assertThat(defaults.captureHosts().isEmpty()).isTrue();
        assertThat(defaults.captureMaxBodyBytes()).isEqualTo(64 << 10);

        Path f = yaml("admin:\n  listen: 0.0.0.0:9091\n  flows: {max: 50, maxBytes: 16MiB}\n"
                + "  capture: {hosts: [.example.com], maxBodyBytes: 1024}\n");
        ProxyConfig.Admin nested = ConfigLoader.load(f, Map.of(), Map.of()).admin();
        assertThat(nested.listen()).isEqualTo(new HostPort("0.0.0.0", 9091));
        assertThat(nested.flowsMax()).isEqualTo(50);
        assertThat(nested.flowsMaxBytes()).isEqualTo(16L << 20);
        assertThat(nested.captureHosts().matches("api.example.com", 443)).isTrue();
        assertThat(nested.captureMaxBodyBytes()).isEqualTo(1024);

        assertThat(ConfigLoader.load(f, Map.of("TOLLGATE_ADMIN_LISTEN", "off"), Map.of())
                        .admin()
                        .enabled())
                .isFalse();
        assertThat(ConfigLoader.load(f, Map.of(), Map.of("admin.listen", "127.0.0.1:0"))
                        .admin()
                        .listen()
                        .port())
                .isZero();
        assertThat(ConfigKey.ADMIN_FLOWS_MAX_BYTES.envName()).isEqualTo("TOLLGATE_ADMIN_FLOWS_MAX_BYTES");
    }
}
