package dev.tollgate.cli;

import dev.tollgate.ca.CaException;
import dev.tollgate.ca.CaFiles;
import dev.tollgate.ca.CaGenerator;
import dev.tollgate.ca.CaLoader;
import dev.tollgate.ca.CertificateAuthority;
import dev.tollgate.ca.KeyKind;
import dev.tollgate.config.ProxyConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;

/**
 * Finds the CA for {@code run}: the files the config names, or the one in the certs
 * directory, created there on first start (so the first command on a fresh machine works).
 * Never falls back silently: a configured CA that fails to load stops the start.
 */
final class CaSetup {
    static final String DEFAULT_CN = "Tollgate CA";
    static final int DEFAULT_DAYS = 3650;

    private CaSetup() {}

    /** @return the CA, or null when interception is off and no CA is configured */
    static CertificateAuthority load(ProxyConfig c, Logger log) throws CaException {
        char[] password = readPassword(c.caPasswordFile());
        if (c.ca() != null) {
            return CaLoader.load(c.ca(), password);
        }
        if (c.caCert() != null || c.caKey() != null) {
            if (c.caCert() == null || c.caKey() == null) {
                throw new CaException("caCert and caKey (--ca-cert, --ca-key) must be given together");
            }
            return CaLoader.load(c.caCert(), c.caKey(), password);
        }
        if (!c.intercept()) {
            return null;
        }
        CaFiles files = new CaFiles(c.certsDir());
        if (files.exist()) {
            return files.load();
        }
        if (files.anyExist()) {
            throw new CaException(c.certsDir() + " holds part of a CA ("
                    + files.certificate().getFileName() + " or "
                    + files.privateKey().getFileName() + " missing): restore it, or remove the directory's CA files");
        }
        CertificateAuthority ca = CaGenerator.generate(DEFAULT_CN, KeyKind.RSA2048, DEFAULT_DAYS);
        files.write(ca, false, new char[0]);
        log.warn(
                "created a new CA in {}: clients must trust {} to accept intercepted HTTPS "
                        + "(curl --cacert {}, or the cluster's trustedCa: base64 -w0 {}); SHA-256 fingerprint {}",
                c.certsDir(),
                files.certificate(),
                files.certificate(),
                files.certificate(),
                ca.sha256Fingerprint());
        return ca;
    }

    static char[] readPassword(Path file) throws CaException {
        if (file == null) {
            return null;
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            return (nl < 0 ? text : text.substring(0, nl)).replace("\r", "").toCharArray();
        } catch (IOException e) {
            throw new CaException("cannot read the CA password file " + file + ": " + e.getMessage(), e);
        }
    }
}
