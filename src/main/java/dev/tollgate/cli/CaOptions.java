package dev.tollgate.cli;

import dev.tollgate.config.ReadableFile;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Where a CA comes from, the same four options on every command that loads one. */
final class CaOptions {
    @Option(
            names = "--ca",
            converter = CallerPath.class,
            paramLabel = "FILE",
            description = "CA as a combined key+certificate PEM (mitmproxy-ca.pem) or PKCS#12")
    Path ca;

    @Option(
            names = "--ca-cert",
            converter = CallerPath.class,
            paramLabel = "FILE",
            description = "CA certificate PEM (with --ca-key)")
    Path caCert;

    @Option(
            names = "--ca-key",
            converter = CallerPath.class,
            paramLabel = "FILE",
            description = "CA private key PEM (with --ca-cert)")
    Path caKey;

    @Option(
            names = "--ca-password-file",
            converter = CallerPath.class,
            paramLabel = "FILE",
            description = "Password of the PKCS#12 or encrypted key")
    Path caPasswordFile;

    /** For commands that read these files themselves (run checks them with the rest of its config). */
    void requireReadable(CommandLine cli) {
        requireReadable(cli, "--ca", ca);
        requireReadable(cli, "--ca-cert", caCert);
        requireReadable(cli, "--ca-key", caKey);
        requireReadable(cli, "--ca-password-file", caPasswordFile);
    }

    /** A usage error (exit 2) naming the flag, the value and why, before anything is read or written. */
    static void requireReadable(CommandLine cli, String flag, Path file) {
        String problem = file == null ? null : ReadableFile.problem(file);
        if (problem != null) {
            throw new ParameterException(cli, "Invalid value for option '" + flag + "': \"" + file + "\" " + problem);
        }
    }
}
