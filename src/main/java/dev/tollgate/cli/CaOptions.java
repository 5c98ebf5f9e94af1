package dev.tollgate.cli;

import picocli.CommandLine.Option;

/** Where a CA comes from, the same four options on every command that loads one. */
final class CaOptions {
    @Option(names = "--ca", paramLabel = "FILE", description = "CA as a combined key+certificate PEM (mitmproxy-ca.pem) or PKCS#12")
    String ca;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "CA certificate PEM (with --ca-key)")
    String caCert;

    @Option(names = "--ca-key", paramLabel = "FILE", description = "CA private key PEM (with --ca-cert)")
    String caKey;

    @Option(names = "--ca-password-file", paramLabel = "FILE", description = "Password of the PKCS#12 or encrypted key")
    String caPasswordFile;
}
