package dev.tollgate.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever YAML an operator writes, the loader answers with a config or a message naming the problem. */
class ConfigLoaderProperties {
    private static final String[] LINES = {
        "listen: 127.0.0.1:8080",
        "listen: x",
        "listen: [a]",
        "noProxy: [a.example, 10.0.0.0/8]",
        "noProxy: '*.x'",
        "noProxy: [10.0.0.0/33]",
        "allowClients: [nope]",
        "timeouts:",
        "  connect: 5s",
        "  connect: soon",
        "  bogus: 1",
        "limits: {maxHeaderSize: 0}",
        "flowLog: json",
        "flowLog: [1]",
        "hosts: {a.test: 127.0.0.1}",
        "hosts: {a: b}",
        "intercept: maybe",
        "parentProxy: http://p:3128",
        "parentProxy: ftp://x",
        "connectPorts: [443, 0]",
        "- item",
        "key: &a [1]",
        "ref: *a",
        "'unterminated",
        "{",
        "",
        "# comment",
        "unknown: 1",
    };

    @Provide
    Arbitrary<String> files() {
        return Arbitraries.of(LINES).list().ofMaxSize(8).map(l -> String.join("\n", l));
    }

    @Property(tries = 300)
    void loadsOrExplains(@ForAll("files") String yaml) throws Exception {
        Path f = Files.createTempFile("tollgate-fuzz", ".yaml");
        try {
            Files.writeString(f, yaml);
            ConfigLoader.load(f, Map.of(), Map.of());
        } catch (ConfigException e) {
            assertThat(e.getMessage()).isNotBlank();
        } finally {
            Files.delete(f);
        }
    }
}
