package dev.tollgate.ca;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test fixtures: CAs generated once per test JVM (an RSA-2048 key costs ~100+ ms) and helpers
 * that write PEM files and hand-made certificates. No key material is ever committed: every
 * fixture is made at test time.
 */
final class TestCas {
    private TestCas() {}

    private static final class Rsa {
        static final CertificateAuthority CA = generate(KeyKind.RSA2048);
    }

    private static final class Ec {
        static final CertificateAuthority CA = generate(KeyKind.EC256);
    }

    static CertificateAuthority rsa() {
        return Rsa.CA;
    }

    static CertificateAuthority ec() {
        return Ec.CA;
    }

    static CertificateAuthority of(KeyKind kind) {
        return kind == KeyKind.RSA2048 ? rsa() : ec();
    }

    private static CertificateAuthority generate(KeyKind kind) {
        try {
            return CaGenerator.generate("Test CA " + kind, kind, 365);
        } catch (CaException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM text of the objects, in order, as BC's writer renders them (keys as PKCS#1 / SEC1). */
    static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    static Path write(Path file, String text) throws IOException {
        return Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    /**
     * A self-signed certificate with the given constraints, made with BC directly (not with the
     * code under test). {@code basic} or {@code keyUsage} null leaves the extension out.
     */
    static X509Certificate selfSigned(
            KeyPair keys, Instant notBefore, Instant notAfter, BasicConstraints basic, KeyUsage keyUsage)
            throws Exception {
        X500Name name = new X500Name("CN=Hand Made,O=Tests");
        var b = new JcaX509v3CertificateBuilder(
                name,
                BigInteger.valueOf(System.nanoTime()).abs().add(BigInteger.ONE),
                Date.from(notBefore),
                Date.from(notAfter),
                name,
                keys.getPublic());
        if (basic != null) {
            b.addExtension(Extension.basicConstraints, true, basic);
        }
        if (keyUsage != null) {
            b.addExtension(Extension.keyUsage, true, keyUsage);
        }
        String alg = keys.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder(alg).build(keys.getPrivate())));
    }
}
