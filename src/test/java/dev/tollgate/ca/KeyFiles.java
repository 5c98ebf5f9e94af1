package dev.tollgate.ca;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;

/** A CA's key and certificate written in every format operators bring, for the CaLoader tests. */
final class KeyFiles {
    private KeyFiles() {}

    static final char[] PASSWORD = "s3cret pass".toCharArray();
    /**
     * Only the test's encrypting side uses BC's provider (not registered globally): the JDK has
     * no "AES/CBC/PKCS7Padding" nor OpenSSL's EVP_BytesToKey. The loader gets no such help.
     */
    static final Provider BC = new BouncyCastleProvider();

    static String certPem(CertificateAuthority ca) {
        return TestCas.pem(ca.certificate());
    }

    /** PKCS#8, unencrypted: "BEGIN PRIVATE KEY". */
    static String pkcs8(CertificateAuthority ca) throws Exception {
        return TestCas.pem(new JcaPKCS8Generator(ca.privateKey(), null));
    }

    /** PKCS#8, encrypted with AES-256-CBC (PBES2): "BEGIN ENCRYPTED PRIVATE KEY". */
    static String encryptedPkcs8(CertificateAuthority ca) throws Exception {
        return TestCas.pem(new JcaPKCS8Generator(
                ca.privateKey(),
                new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                        .setProvider(BC)
                        .setPassword(PASSWORD)
                        .build()));
    }

    /**
     * What to hand BC's PEM writer for the traditional form: the RSA key itself (PKCS#1 "RSA
     * PRIVATE KEY"), or for EC a SEC1 "EC PRIVATE KEY" laid out as openssl writes it, with the
     * curve and the public key inside. (The JDK's own PKCS#8 encoding keeps neither inside the
     * SEC1 part, and such a file is unusable by openssl too.)
     */
    static Object traditionalSource(CertificateAuthority ca, boolean withPublicKey) throws Exception {
        if (ca.privateKey().getAlgorithm().equals("RSA")) {
            return ca.privateKey();
        }
        PrivateKeyInfo jdk = PrivateKeyInfo.getInstance(ca.privateKey().getEncoded());
        var curve = jdk.getPrivateKeyAlgorithm().getParameters();
        var publicBits = SubjectPublicKeyInfo.getInstance(
                        ca.certificate().getPublicKey().getEncoded())
                .getPublicKeyData();
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                256,
                ((java.security.interfaces.ECPrivateKey) ca.privateKey()).getS(),
                withPublicKey ? publicBits : null,
                curve);
        return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), sec1);
    }

    /** The traditional OpenSSL form: PKCS#1 "RSA PRIVATE KEY" or SEC1 "EC PRIVATE KEY". */
    static String traditional(CertificateAuthority ca) throws Exception {
        return TestCas.pem(traditionalSource(ca, true));
    }

    /** Traditional form with "Proc-Type: 4,ENCRYPTED" (openssl genrsa -aes256). */
    static String traditionalEncrypted(CertificateAuthority ca) throws Exception {
        var pem = new StringWriter();
        try (var w = new JcaPEMWriter(pem)) {
            w.writeObject(
                    traditionalSource(ca, true),
                    new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(BC).build(PASSWORD));
        }
        return pem.toString();
    }

    static byte[] pkcs12(X509Certificate cert, PrivateKey key, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("ca", key, password, new Certificate[] {cert});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, password);
        return out.toByteArray();
    }
}
