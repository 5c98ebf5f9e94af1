package dev.tollgate.aks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AksConfigFileTest {
    @TempDir
    Path dir;

    private Path write(String json) throws Exception {
        Path f = dir.resolve("aks-proxy.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void readsNoProxyInOrder() throws Exception {
        Path f = write("""
                {"httpProxy": "http://10.0.0.4:8080", "httpsProxy": "http://10.0.0.4:8080",
                 "noProxy": ["localhost", ".svc", "10.0.0.0/16", "a,b"], "trustedCa": "LS0t"}
                """);
        assertThat(AksConfigFile.readNoProxy(f)).containsExactly("localhost", ".svc", "10.0.0.0/16", "a,b");
    }

    @Test
    void emptyListIsEmpty() throws Exception {
        assertThat(AksConfigFile.readNoProxy(write("{\"noProxy\": []}"))).isEmpty();
    }

    @Test
    void readsWhatAksConfigWrites() throws Exception {
        AksProxyConfig c = new AksProxyConfig("http://h:1", "http://h:1", AksValidatorTest.GOOD, null);
        assertThat(AksConfigFile.readNoProxy(write(c.toJson()))).isEqualTo(AksValidatorTest.GOOD);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not json            | {noProxy: [                 | not valid JSON",
                "array               | []                          | not a JSON object",
                "empty               | ''                          | not a JSON object",
                "no field            | {\"httpProxy\": \"http://h:1\"} | has no \"noProxy\" field",
                "null field          | {\"noProxy\": null}         | has no \"noProxy\" field",
                "string field        | {\"noProxy\": \"a,b\"}      | not a JSON array of strings",
                "number entry        | {\"noProxy\": [\"a\", 7]}   | noProxy[1] is 7, not a string",
            })
    void badFiles(String name, String json, String expected) throws Exception {
        Path f = write(json);
        assertThatThrownBy(() -> AksConfigFile.readNoProxy(f))
                .isInstanceOf(AksConfigFile.BadFileException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void missingFile() {
        assertThatThrownBy(() -> AksConfigFile.readNoProxy(dir.resolve("nope.json")))
                .isInstanceOf(AksConfigFile.BadFileException.class)
                .hasMessage("no such file");
    }
}
