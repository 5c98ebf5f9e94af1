package dev.tollgate.cli;

import dev.tollgate.aks.AksProxyConfig;
import dev.tollgate.aks.AksValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate aks-config}: writes the cluster's HTTP proxy config (the JSON file of
 * {@code az aks create|update --http-proxy-config}), checked as AKS checks it, with warnings
 * for the mistakes AKS accepts. Errors exit 2 and name the option; warnings go to stderr.
 */
@Command(
        name = "aks-config",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Write the AKS HTTP proxy config JSON (az aks create|update --http-proxy-config FILE).",
            "Checks it as AKS does (errors exit 2) and warns about common mistakes on stderr."
        })
final class AksConfigCommand implements Callable<Integer> {
    private static final Map<String, String> OPTION_OF = Map.of(
            "httpProxy",
            "--proxy-url",
            "httpsProxy",
            "--https-proxy-url",
            "noProxy",
            "--no-proxy",
            "trustedCa",
            "--ca",
            "serviceCidr",
            "--service-cidr");

    /** Relative to the working directory (the project root under scripts/tollgate), as ca init's default. */
    private static final Path DEFAULT_CA = Path.of("certs", "ca.pem");

    @Spec
    CommandSpec spec;

    @Option(
            names = "--proxy-url",
            required = true,
            paramLabel = "URL",
            description =
                    "httpProxy: the proxy as the cluster reaches it, http://HOST:PORT (e.g. http://10.0.0.4:8080)")
    String proxyUrl;

    @Option(
            names = "--https-proxy-url",
            paramLabel = "URL",
            description = "httpsProxy: http:// or https:// URL (default: --proxy-url)")
    String httpsProxyUrl;

    @Option(
            names = "--no-proxy",
            paramLabel = "LIST",
            split = ",",
            description = "noProxy: destinations that bypass the proxy, comma-separated (repeatable)")
    List<String> noProxy = new ArrayList<>();

    @Option(
            names = "--ca",
            converter = CallerPath.class,
            paramLabel = "FILE",
            description = "trustedCa: PEM certificate file (the CA certificate, never its key; default certs/ca.pem)")
    Path ca;

    @Option(
            names = "--service-cidr",
            paramLabel = "CIDR",
            description = "The cluster's service CIDR, to check that noProxy covers it (e.g. 10.0.0.0/16)")
    String serviceCidr;

    @Option(
            names = {"-o", "--output"},
            converter = CallerPath.class,
            paramLabel = "FILE",
            description = "Write here instead of standard output")
    Path output;

    @Override
    public Integer call() throws IOException {
        byte[] pem = readCa();
        AksValidator v = new AksValidator();
        String httpsProxy = httpsProxyUrl != null ? httpsProxyUrl : proxyUrl;
        v.httpProxy(proxyUrl);
        v.httpsProxy(httpsProxy);
        List<String> entries = v.noProxy(noProxy);
        v.trustedCa(pem);
        if (serviceCidr != null) {
            v.serviceCidr(serviceCidr, entries);
        }
        if (!v.errors().isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(),
                    v.errors().stream()
                            .map(p -> "Invalid value for option '" + option(p.field(), httpsProxyUrl != null) + "': "
                                    + p.field() + " " + p.message())
                            .collect(Collectors.joining(System.lineSeparator())));
        }
        PrintWriter err = spec.commandLine().getErr();
        v.warnings()
                .forEach(p -> err.println(
                        "warning: " + option(p.field(), httpsProxyUrl != null) + ": " + p.field() + " " + p.message()));
        err.flush();
        String json = new AksProxyConfig(
                        proxyUrl.strip(),
                        httpsProxy.strip(),
                        entries,
                        Base64.getEncoder().encodeToString(pem))
                .toJson();
        if (output != null) {
            Files.writeString(output, json, StandardCharsets.UTF_8);
            err.println("wrote " + output + " (use: az aks create|update ... --http-proxy-config " + output + ")");
        } else {
            PrintWriter out = spec.commandLine().getOut();
            out.print(json);
            out.flush();
        }
        return 0;
    }

    /** The option that set a field; httpsProxy comes from --proxy-url when not given itself. */
    private static String option(String field, boolean httpsGiven) {
        if (field.equals("httpsProxy") && !httpsGiven) {
            return "--proxy-url";
        }
        return OPTION_OF.getOrDefault(field, field);
    }

    private byte[] readCa() {
        Path ca = this.ca != null ? this.ca : DEFAULT_CA;
        try {
            return Files.readAllBytes(ca);
        } catch (NoSuchFileException e) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '--ca': " + ca
                            + ": no such file (create a CA with scripts/generate-cert.sh or `tollgate ca init`,"
                            + " or give the CA certificate with --ca FILE)");
        } catch (IOException e) {
            throw new ParameterException(
                    spec.commandLine(), "Invalid value for option '--ca': " + ca + ": cannot read it: " + e);
        }
    }
}
