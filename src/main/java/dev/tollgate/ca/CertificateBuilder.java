package dev.tollgate.ca;

import java.math.BigInteger;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** The shared steps of making a certificate with Bouncy Castle, signing with the JDK's providers. */
final class CertificateBuilder {
    private static final SecureRandom SERIALS = new SecureRandom();

    private final X509v3CertificateBuilder builder;

    CertificateBuilder(X500Name issuer, X500Name subject, PublicKey key, Instant notBefore, Instant notAfter) {
        this.builder = new JcaX509v3CertificateBuilder(
                issuer, serial(), Date.from(notBefore), Date.from(notAfter), subject, key);
    }

    /** Positive, 159 random bits: unpredictable (RFC 5280 §4.1.2.2 allows up to 20 octets). */
    private static BigInteger serial() {
        return new BigInteger(159, SERIALS).setBit(158);
    }

    CertificateBuilder extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) throws CaException {
        try {
            builder.addExtension(oid, critical, value);
            return this;
        } catch (CertIOException e) {
            throw new CaException("cannot encode certificate extension " + oid + ": " + e.getMessage(), e);
        }
    }

    CertificateBuilder keyIdentifiers(PublicKey subjectKey, PublicKey issuerKey) throws CaException {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            extension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            return extension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerKey));
        } catch (NoSuchAlgorithmException e) {
            throw new CaException("SHA-1 is not available for key identifiers", e);
        }
    }

    X509Certificate sign(PrivateKey issuerKey) throws CaException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(
                            new JcaContentSignerBuilder(KeyKind.signatureAlgorithm(issuerKey)).build(issuerKey)));
        } catch (OperatorCreationException | CertificateException e) {
            throw new CaException("cannot sign a certificate: " + e.getMessage(), e);
        }
    }
}
