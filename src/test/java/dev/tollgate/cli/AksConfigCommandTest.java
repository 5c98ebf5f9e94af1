package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.ca.CaFiles;
import dev.tollgate.ca.CaGenerator;
import dev.tollgate.ca.CertificateAuthority;
import dev.tollgate.ca.KeyKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code tollgate aks-config}: the JSON it writes, and its exit codes and messages. */
class AksConfigCommandTest {
    private static final String GOOD_NO_PROXY =
            "localhost,127.0.0.1,10.0.0.0/16,.svc,.cluster.local,kubernetes.default,169.254.169.254,168.63.129.16";

    @TempDir
    static Path dir;

    private static Path caPem;
    private static Path combined;

    private record Run(int exit, String out, String err) {}

    @BeforeAll
    static void ca() throws Exception {
        CertificateAuthority ca = CaGenerator.generate("AKS test CA", KeyKind.EC256, 2);
        CaFiles files = new CaFiles(dir.resolve("certs"));
        files.write(ca, false, new char[0]);
        caPem = files.certificate();
        combined = files.combined();
    }

    private static Run run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("aks-config"));
        all.addAll(List.of(args));
        return new Run(cli.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    @Test
    void roundTripThroughAFile() throws Exception {
        Path json = dir.resolve("aks-proxy.json");
        Run r = run(
                "--proxy-url",
                "http://10.0.0.4:8080",
                "--no-proxy",
                GOOD_NO_PROXY,
                "--ca",
                caPem.toString(),
                "--service-cidr",
                "10.0.0.0/16",
                "-o",
                json.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("warning").contains("wrote " + json);
        assertThat(r.out()).isEmpty();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.fieldNames()).toIterable().containsExactly("httpProxy", "httpsProxy", "noProxy", "trustedCa");
        assertThat(root.get("httpProxy").asText()).isEqualTo("http://10.0.0.4:8080");
        assertThat(root.get("httpsProxy").asText()).isEqualTo("http://10.0.0.4:8080");
        List<String> noProxy = new ArrayList<>();
        root.get("noProxy").forEach(n -> noProxy.add(n.asText()));
        assertThat(noProxy).containsExactly(GOOD_NO_PROXY.split(","));
        byte[] decoded = Base64.getDecoder().decode(root.get("trustedCa").asText());
        assertThat(decoded).isEqualTo(Files.readAllBytes(caPem));
        assertThat(Files.readString(json)).contains("\n  \"httpProxy\"").endsWith("\n");
    }

    @Test
    void writesToStdoutWithOwnHttpsProxyAndRepeatedNoProxy() throws Exception {
        Run r = run(
                "--proxy-url",
                "http://10.0.0.4:8080",
                "--https-proxy-url",
                "https://proxy.example:8443",
                "--no-proxy",
                ".svc,.cluster.local",
                "--no-proxy",
                "kubernetes.default, 169.254.169.254,168.63.129.16",
                "--ca",
                caPem.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("httpsProxy").asText()).isEqualTo("https://proxy.example:8443");
        assertThat(root.get("noProxy")).hasSize(5);
        assertThat(new String(Base64.getDecoder().decode(root.get("trustedCa").asText()), StandardCharsets.US_ASCII))
                .startsWith("-----BEGIN CERTIFICATE-----");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "https httpProxy      | --proxy-url=https://10.0.0.4:8080           | --proxy-url       | AKS does not accept https://",
                "ftp httpsProxy       | --https-proxy-url=ftp://10.0.0.4:21         | --https-proxy-url | must start with http:// or https://",
                "star suffix          | --no-proxy=*.example.com                    | --no-proxy        | write \".example.com\"",
                "bad CIDR             | --no-proxy=10.0.0.0/33                      | --no-proxy        | is not a CIDR",
                "missing CA file      | --ca=/nonexistent/ca.pem                    | --ca              | no such file",
                "bad service CIDR     | --service-cidr=10.0.0.0                     | --service-cidr    | is not a CIDR",
            })
    void errorsExitTwoNamingTheOption(String name, String arg, String option, String reason) {
        List<String> args = new ArrayList<>();
        // defaults for what the case does not set itself
        if (!arg.startsWith("--proxy-url=")) {
            args.add("--proxy-url=http://10.0.0.4:8080");
        }
        if (!arg.startsWith("--ca=")) {
            args.add("--ca=" + caPem);
        }
        args.add("--no-proxy=" + GOOD_NO_PROXY);
        args.add(arg);
        Run r = run(args.toArray(String[]::new));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .contains("Invalid value for option '" + option + "'", reason)
                .doesNotContain("should be specified only once");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aCombinedKeyFileIsRefused() {
        Run r = run("--proxy-url", "http://10.0.0.4:8080", "--no-proxy", GOOD_NO_PROXY, "--ca", combined.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'--ca'", "private key");
        assertThat(r.out()).doesNotContain("trustedCa");
    }

    @Test
    void proxyUrlIsRequired() {
        Run r = run("--ca", caPem.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--proxy-url");
    }

    @Test
    void httpsProxyErrorNamesProxyUrlWhenItCameFromThere() {
        Run r = run("--proxy-url", "http://u:p@10.0.0.4:8080", "--no-proxy", GOOD_NO_PROXY, "--ca", caPem.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .contains("'--proxy-url': httpProxy", "'--proxy-url': httpsProxy", "credentials")
                .doesNotContain("--https-proxy-url'");
    }

    @Test
    void warningsGoToStderrAndExitZero() throws Exception {
        Run r = run(
                "--proxy-url",
                "http://10.0.0.4:8080/",
                "--no-proxy",
                ".svc",
                "--ca",
                caPem.toString(),
                "--service-cidr",
                "10.0.0.0/16");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err())
                .contains(
                        "warning: --proxy-url: httpProxy",
                        "has a path",
                        "warning: --no-proxy: noProxy does not cover \".cluster.local\"",
                        "169.254.169.254",
                        "168.63.129.16",
                        "service CIDR 10.0.0.0/16");
        assertThat(new ObjectMapper().readTree(r.out()).get("httpProxy").asText())
                .isEqualTo("http://10.0.0.4:8080/");
    }

    @Test
    void mainHelpListsTheCommand() {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("aks-config");
    }
}
