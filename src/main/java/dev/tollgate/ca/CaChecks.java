package dev.tollgate.ca;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What makes a certificate and key usable as Tollgate's CA, checked at load so a bad file
 * fails at startup with the reason, not later as handshakes clients refuse.
 */
final class CaChecks {
    private static final Duration EXPIRY_WARNING = Duration.ofDays(30);
    private static final int KEY_CERT_SIGN = 5;

    private CaChecks() {}

    static CertificateAuthority check(String source, X509Certificate cert, PrivateKey key) throws CaException {
        if (cert.getBasicConstraints() < 0) {
            throw new CaException(source + ": not a CA certificate: basicConstraints CA:TRUE is missing "
                    + "(make one with `tollgate ca init`)");
        }
        boolean[] usage = cert.getKeyUsage();
        if (usage != null && (usage.length <= KEY_CERT_SIGN || !usage[KEY_CERT_SIGN])) {
            throw new CaException(source + ": not a CA certificate: its keyUsage lacks keyCertSign");
        }
        if (!keyMatches(cert, key)) {
            throw new CaException(
                    source + ": the private key does not match the certificate " + cert.getSubjectX500Principal());
        }
        return new CertificateAuthority(cert, key, validity(source, cert));
    }

    private static List<String> validity(String source, X509Certificate cert) throws CaException {
        Instant now = Instant.now();
        Instant notAfter = cert.getNotAfter().toInstant();
        if (now.isAfter(notAfter)) {
            throw new CaException(source + ": the CA certificate expired on " + day(notAfter));
        }
        if (now.isBefore(cert.getNotBefore().toInstant())) {
            throw new CaException(source + ": the CA certificate is not valid before "
                    + day(cert.getNotBefore().toInstant()) + " (is this machine's clock right?)");
        }
        List<String> warnings = new ArrayList<>();
        Duration left = Duration.between(now, notAfter);
        if (left.compareTo(EXPIRY_WARNING) < 0) {
            warnings.add("CA certificate expires in " + inWords(left) + " (" + day(notAfter) + ")");
        }
        return warnings;
    }

    /** Whole days, or whole hours under a day: what is left, never more. */
    static String inWords(Duration left) {
        long days = left.toDays();
        long hours = left.toHours();
        if (days > 0) {
            return days == 1 ? "1 day" : days + " days";
        }
        if (hours > 0) {
            return hours == 1 ? "1 hour" : hours + " hours";
        }
        return "less than an hour";
    }

    /** Signs a random challenge and verifies it with the certificate's key: works for RSA and EC alike. */
    static boolean keyMatches(X509Certificate cert, PrivateKey key) {
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            String alg = KeyKind.signatureAlgorithm(key);
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(challenge);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }
}
