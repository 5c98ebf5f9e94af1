package dev.tollgate.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a CA comes from, the same four options on every command that loads one. */
final class CaOptions {
    @Option(names = "--ca", converter = CallerPath.class, paramLabel = "FILE", description = "CA as a combined key+certificate PEM (mitmproxy-ca.pem) or PKCS#12")
    Path ca;

    @Option(names = "--ca-cert", converter = CallerPath.class, paramLabel = "FILE", description = "CA certificate PEM (with --ca-key)")
    Path caCert;

    @Option(names = "--ca-key", converter = CallerPath.class, paramLabel = "FILE", description = "CA private key PEM (with --ca-cert)")
    Path caKey;

    @Option(names = "--ca-password-file", converter = CallerPath.class, paramLabel = "FILE", description = "Password of the PKCS#12 or encrypted key")
    Path caPasswordFile;
}
