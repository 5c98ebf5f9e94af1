package dev.tollgate.cli;

import dev.tollgate.ca.CaException;
import dev.tollgate.ca.CaFiles;
import dev.tollgate.ca.CaLoader;
import dev.tollgate.ca.CertificateAuthority;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tollgate ca export}: print the CA certificate (never the key) in the form a client needs. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Print the CA certificate as pem, der or base64 (the AKS trustedCa value).")
final class CaExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "pem",
            description = "pem, der or base64 (default ${DEFAULT-VALUE})")
    String format;

    @Option(
            names = "--dir",
            converter = CallerPath.class,
            paramLabel = "DIR",
            description = "CA directory (default certs)")
    Path dir;

    /** Instead of --dir. */
    @picocli.CommandLine.Mixin
    CaOptions source = new CaOptions();

    @Option(
            names = {"-o", "--output"},
            converter = CallerPath.class,
            paramLabel = "FILE",
            description = "Write here instead of standard output")
    Path output;

    @Override
    public Integer call() throws IOException {
        String f = format.toLowerCase(Locale.ROOT);
        if (!f.equals("pem") && !f.equals("der") && !f.equals("base64")) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '--format': \"" + format + "\" (choose pem, der or base64)");
        }
        if ((source.caCert == null) != (source.caKey == null)) {
            throw new ParameterException(spec.commandLine(), "--ca-cert and --ca-key must be given together");
        }
        source.requireReadable(spec.commandLine());
        try {
            byte[] bytes = render(load(), f);
            if (output != null) {
                Files.write(output, bytes);
            } else {
                OutputStream out = System.out;
                out.write(bytes);
                out.flush();
            }
            return 0;
        } catch (CaException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 1;
        }
    }

    private CertificateAuthority load() throws CaException {
        char[] password = CaSetup.readPassword(source.caPasswordFile);
        if (source.ca != null) {
            return CaLoader.load(source.ca, password);
        }
        if (source.caCert != null) {
            return CaLoader.load(source.caCert, source.caKey, password);
        }
        Path dir = this.dir != null ? this.dir : Path.of(CaInitCommand.DEFAULT_DIR);
        CaFiles files = new CaFiles(dir);
        if (!files.exist()) {
            throw new CaException("no CA in " + dir + " (create one with `tollgate ca init --dir " + dir + "`)");
        }
        return files.load();
    }

    private static byte[] render(CertificateAuthority ca, String format) {
        return switch (format) {
            case "der" -> ca.der();
            case "base64" -> (ca.certificateBase64Line() + "\n").getBytes(StandardCharsets.US_ASCII);
            default -> ca.certificatePem().getBytes(StandardCharsets.US_ASCII);
        };
    }
}
