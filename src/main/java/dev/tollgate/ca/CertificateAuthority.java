package dev.tollgate.ca;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** A loaded and checked CA: its certificate and private key. Immutable, thread-safe. */
public final class CertificateAuthority {
    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final List<String> warnings;

    CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, List<String> warnings) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.warnings = List.copyOf(warnings);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** Problems worth a warning at startup (expiring soon), none of which stops the proxy. */
    public List<String> warnings() {
        return warnings;
    }

    public String subject() {
        return certificate.getSubjectX500Principal().getName();
    }

    /** {@code AB:CD:…}, SHA-256 of the DER certificate, as browsers and openssl show it. */
    public String sha256Fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(der());
            String hex = HexFormat.of().withUpperCase().formatHex(digest);
            StringBuilder b = new StringBuilder(hex.length() * 3 / 2);
            for (int i = 0; i < hex.length(); i += 2) {
                b.append(i == 0 ? "" : ":").append(hex, i, i + 2);
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String certificatePem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der());
        return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
    }

    /** The certificate PEM in base64 on one line: the value of an AKS cluster's {@code trustedCa}. */
    public String certificateBase64Line() {
        return Base64.getEncoder().encodeToString(certificatePem().getBytes(StandardCharsets.US_ASCII));
    }

    public byte[] der() {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the CA certificate cannot be encoded", e);
        }
    }

    @Override
    public String toString() {
        return "CA " + subject() + " ("
                + certificate.getPublicKey().getAlgorithm().toLowerCase(Locale.ROOT) + ")";
    }
}
