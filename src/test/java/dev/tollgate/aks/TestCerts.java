package dev.tollgate.aks;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Small self-signed certificates for the trustedCa checks: a CA, a leaf with SAN, a leaf without. */
final class TestCerts {
    enum Kind {
        CA,
        LEAF_WITH_SAN,
        LEAF_WITHOUT_SAN
    }

    private static final KeyPair KEYS = keys();

    private TestCerts() {}

    private static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(Kind kind) {
        try {
            X500Name name = new X500Name("CN=test " + kind.name().toLowerCase());
            long now = System.currentTimeMillis();
            var b = new JcaX509v3CertificateBuilder(
                    name,
                    BigInteger.valueOf(now),
                    new Date(now - 60_000),
                    new Date(now + 86_400_000L),
                    name,
                    KEYS.getPublic());
            switch (kind) {
                case CA -> b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                case LEAF_WITH_SAN -> {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    b.addExtension(
                            Extension.subjectAlternativeName,
                            false,
                            new GeneralNames(new GeneralName(GeneralName.dNSName, "proxy.example")));
                }
                case LEAF_WITHOUT_SAN -> b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            }
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(KEYS.getPrivate())));
            return block("CERTIFICATE", cert.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String block(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    static String privateKeyPem() {
        return block("PRIVATE KEY", KEYS.getPrivate().getEncoded());
    }
}
