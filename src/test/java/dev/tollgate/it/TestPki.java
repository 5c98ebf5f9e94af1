package dev.tollgate.it;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for test origins, made at test time (never committed): a trusted origin CA,
 * and good and deliberately bad server certificates signed by it or by nobody.
 */
public final class TestPki {
    private static final SecureRandom RANDOM = new SecureRandom();

    public record Issued(X509Certificate certificate, PrivateKey key, X509Certificate[] chain) {
        /** A server-side SSLContext presenting this certificate. */
        public SSLContext serverContext() throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("k", key, new char[0], chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        }
    }

    private final KeyPair caKeys;
    private final X509Certificate caCert;

    public TestPki(String caName) throws Exception {
        caKeys = ec();
        caCert = sign(
                new X500Name("CN=" + caName),
                caKeys,
                caKeys.getPrivate(),
                new X500Name("CN=" + caName),
                Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(30)),
                null,
                true);
    }

    public X509Certificate caCertificate() {
        return caCert;
    }

    /** Writes the CA certificate as PEM: what --upstream-trust or curl --cacert take. */
    public Path writeCaPem(Path file) throws Exception {
        Files.writeString(file, pem(caCert));
        return file;
    }

    public Issued server(List<String> dnsAndIps) throws Exception {
        return server(
                dnsAndIps,
                Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(10)));
    }

    public Issued expiredServer(List<String> names) throws Exception {
        return server(
                names, Instant.now().minus(Duration.ofDays(10)), Instant.now().minus(Duration.ofDays(1)));
    }

    private Issued server(List<String> names, Instant from, Instant to) throws Exception {
        KeyPair keys = ec();
        X509Certificate c = sign(
                new X500Name("CN=" + names.get(0)),
                keys,
                caKeys.getPrivate(),
                new X500Name(caCert.getSubjectX500Principal().getName()),
                from,
                to,
                names,
                false);
        return new Issued(c, keys.getPrivate(), new X509Certificate[] {c, caCert});
    }

    /** Self-signed, trusted by nobody. */
    public static Issued selfSigned(List<String> names) throws Exception {
        KeyPair keys = ec();
        X500Name subject = new X500Name("CN=" + names.get(0));
        X509Certificate c = sign(
                subject,
                keys,
                keys.getPrivate(),
                subject,
                Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(10)),
                names,
                false);
        return new Issued(c, keys.getPrivate(), new X509Certificate[] {c});
    }

    public static String pem(X509Certificate c) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(
            X500Name subject,
            KeyPair subjectKeys,
            PrivateKey issuerKey,
            X500Name issuer,
            Instant from,
            Instant to,
            List<String> names,
            boolean ca)
            throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                issuer,
                new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(from),
                Date.from(to),
                subject,
                subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        if (names != null) {
            GeneralName[] sans = names.stream()
                    .map(n -> n.matches("[0-9.]+|.*:.*")
                            ? new GeneralName(GeneralName.iPAddress, n)
                            : new GeneralName(GeneralName.dNSName, n))
                    .toArray(GeneralName[]::new);
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        }
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }
}
