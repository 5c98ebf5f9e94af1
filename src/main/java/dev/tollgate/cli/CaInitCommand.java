package dev.tollgate.cli;

import dev.tollgate.ca.CaException;
import dev.tollgate.ca.CaFiles;
import dev.tollgate.ca.CaGenerator;
import dev.tollgate.ca.CertificateAuthority;
import dev.tollgate.ca.KeyKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tollgate ca init}: the reference setup's generate-cert.sh in one safe step. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Create a CA: key, certificate, combined PEM and PKCS#12 (keys written 0600).")
final class CaInitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Relative to the working directory (the project root under scripts/tollgate), as run's certsDir. */
    static final String DEFAULT_DIR = "certs";

    @Option(
            names = "--dir",
            converter = CallerPath.class,
            paramLabel = "DIR",
            description = "Where to write it (default certs)")
    Path dir;

    @Option(
            names = "--cn",
            paramLabel = "NAME",
            defaultValue = CaSetup.DEFAULT_CN,
            description = "Common name (default ${DEFAULT-VALUE})")
    String commonName;

    @Option(
            names = "--key",
            paramLabel = "TYPE",
            defaultValue = "rsa2048",
            description = "rsa2048 or ec256 (default ${DEFAULT-VALUE})")
    String key;

    @Option(
            names = "--days",
            paramLabel = "N",
            defaultValue = "3650",
            description = "Validity in days, 1..36500 (default ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--force", description = "Replace an existing CA in --dir")
    boolean force;

    @Option(
            names = "--p12-password-file",
            converter = CallerPath.class,
            paramLabel = "FILE",
            description = "Password for ca.p12 (default: none)")
    Path p12PasswordFile;

    @Override
    public Integer call() throws IOException {
        KeyKind kind;
        try {
            kind = KeyKind.parse(key);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--key': " + e.getMessage());
        }
        if (days < 1 || days > 36_500) {
            throw new ParameterException(
                    spec.commandLine(), "Invalid value for option '--days': " + days + " is not in 1..36500");
        }
        CaOptions.requireReadable(spec.commandLine(), "--p12-password-file", p12PasswordFile);
        PrintWriter out = spec.commandLine().getOut();
        try {
            CaFiles files = new CaFiles(dir != null ? dir : Path.of(DEFAULT_DIR));
            files.refuseOverwrite(force); // before the key generation: fail fast
            char[] p12 = p12PasswordFile == null ? new char[0] : CaSetup.readPassword(p12PasswordFile);
            CertificateAuthority ca = CaGenerator.generate(commonName, kind, days);
            files.write(ca, force, p12);
            report(out, files, ca);
            return 0;
        } catch (CaException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 1;
        }
    }

    private static void report(PrintWriter out, CaFiles files, CertificateAuthority ca) throws IOException {
        out.println("Created CA " + ca.subject());
        for (Path f : files.files().toList()) {
            out.printf("  %s  %s%n", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f);
        }
        out.println("SHA-256 fingerprint: " + ca.sha256Fingerprint());
        out.println("trustedCa (base64 of " + files.certificate() + ", for the cluster's HTTP proxy config):");
        out.println(ca.certificateBase64Line());
        out.flush();
    }
}
