package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code tollgate run --aks-config FILE}: noProxy from the cluster's proxy config. Like CliTest,
 * nothing here starts a server: every case fails in option or config validation first.
 */
class RunAksConfigTest {
    @TempDir
    Path dir;

    private record Run(int exit, String err) {}

    private static Run run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), err.toString());
    }

    private Path file(String json) throws Exception {
        Path f = dir.resolve("aks-proxy.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void refusesBothNoProxyAndAksConfig() throws Exception {
        Path f = file("{\"noProxy\": [\".svc\"]}");
        Run r = run("run", "--no-proxy", "a.com", "--aks-config", f.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("give one of --no-proxy or --aks-config");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not json      | {                          | not valid JSON",
                "no noProxy    | {\"httpProxy\": \"x\"}     | has no \"noProxy\" field",
                "not an array  | {\"noProxy\": \".svc\"}    | not a JSON array",
                "bad CIDR      | {\"noProxy\": [\".svc\", \"10.0.0.0/33\"]} | noProxy[1]",
            })
    void badFileExitsTwoNamingTheOption(String name, String json, String reason) throws Exception {
        Path f = file(json);
        Run r = run("run", "--aks-config", f.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'--aks-config'", f.toString(), reason);
    }

    @Test
    void missingFileExitsTwo() {
        Run r = run("run", "--aks-config", dir.resolve("nope.json").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'--aks-config'", "no such file");
    }

    @Test
    void aGoodFileGetsPastNoProxyValidation() throws Exception {
        // noProxy is bound before listen: a valid file lets validation reach the bad --listen.
        Path f = file("{\"noProxy\": [\"localhost\", \".svc\", \"10.0.0.0/16\", \"*.example.com\"]}");
        Run r = run("run", "--aks-config", f.toString(), "--listen", "nonsense");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--listen", "nonsense").doesNotContain("--aks-config'");
    }
}
