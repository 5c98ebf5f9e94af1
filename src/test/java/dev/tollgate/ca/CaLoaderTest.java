package dev.tollgate.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** CaLoader from every format operators have, and every refusal with the message it gives. */
class CaLoaderTest {
    private static final char[] PASSWORD = "s3cret pass".toCharArray();
    /**
     * Only the test's encrypting side uses BC's provider (not registered globally): the JDK has
     * no "AES/CBC/PKCS7Padding" nor OpenSSL's EVP_BytesToKey. The loader gets no such help.
     */
    private static final Provider BC = new BouncyCastleProvider();

    @TempDir
    Path tmp;

    static String certPem(CertificateAuthority ca) {
        return TestCas.pem(ca.certificate());
    }

    /** PKCS#8, unencrypted: "BEGIN PRIVATE KEY". */
    static String pkcs8(CertificateAuthority ca) throws Exception {
        return TestCas.pem(new JcaPKCS8Generator(ca.privateKey(), null));
    }

    /** PKCS#8, encrypted with AES-256-CBC (PBES2): "BEGIN ENCRYPTED PRIVATE KEY". */
    private static String encryptedPkcs8(CertificateAuthority ca) throws Exception {
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
    private static Object traditionalSource(CertificateAuthority ca, boolean withPublicKey) throws Exception {
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
    private static String traditional(CertificateAuthority ca) throws Exception {
        return TestCas.pem(traditionalSource(ca, true));
    }

    /** Traditional form with "Proc-Type: 4,ENCRYPTED" (openssl genrsa -aes256). */
    private static String traditionalEncrypted(CertificateAuthority ca) throws Exception {
        var pem = new StringWriter();
        try (var w = new JcaPEMWriter(pem)) {
            w.writeObject(
                    traditionalSource(ca, true),
                    new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(BC).build(PASSWORD));
        }
        return pem.toString();
    }

    private static byte[] pkcs12(X509Certificate cert, PrivateKey key, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("ca", key, password, new Certificate[] {cert});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, password);
        return out.toByteArray();
    }

    private static void assertSame(CertificateAuthority loaded, CertificateAuthority expected) {
        assertThat(loaded.sha256Fingerprint()).isEqualTo(expected.sha256Fingerprint());
        // the same key, whatever optional fields its file carried (an EC key's encoding may or
        // may not repeat the curve and the public key)
        if (expected.privateKey() instanceof java.security.interfaces.ECPrivateKey ec) {
            assertThat(((java.security.interfaces.ECPrivateKey) loaded.privateKey()).getS())
                    .isEqualTo(ec.getS());
        } else {
            assertThat(loaded.privateKey().getEncoded())
                    .isEqualTo(expected.privateKey().getEncoded());
        }
        assertThat(loaded.warnings()).isEmpty();
    }

    // ---- one file: combined PEM or PKCS#12 -------------------------------------------------

    enum OneFile {
        KEY_FIRST,
        CERT_FIRST,
        TRADITIONAL_KEY_FIRST,
        ENCRYPTED_PKCS8,
        ENCRYPTED_TRADITIONAL,
        PKCS12_PASSWORD
    }

    static Stream<Arguments> oneFileCases() {
        return Stream.of(KeyKind.values())
                .flatMap(k -> Stream.of(OneFile.values()).map(f -> Arguments.of(k, f)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("oneFileCases")
    void loadsOneFile(KeyKind kind, OneFile format) throws Exception {
        CertificateAuthority ca = TestCas.of(kind);
        Path file = tmp.resolve("ca-file");
        char[] password = null;
        switch (format) {
            case KEY_FIRST -> TestCas.write(file, pkcs8(ca) + certPem(ca));
            case CERT_FIRST -> TestCas.write(file, certPem(ca) + pkcs8(ca));
            case TRADITIONAL_KEY_FIRST -> TestCas.write(file, traditional(ca) + certPem(ca));
            case ENCRYPTED_PKCS8 -> {
                TestCas.write(file, encryptedPkcs8(ca) + certPem(ca));
                password = PASSWORD;
            }
            case ENCRYPTED_TRADITIONAL -> {
                TestCas.write(file, traditionalEncrypted(ca) + certPem(ca));
                password = PASSWORD;
            }
            case PKCS12_PASSWORD -> {
                Files.write(file, pkcs12(ca.certificate(), ca.privateKey(), PASSWORD));
                password = PASSWORD;
            }
        }
        assertSame(CaLoader.load(file, password), ca);
    }

    @ParameterizedTest
    @EnumSource(KeyKind.class)
    void traditionalKeyHeadersAreWhatTheyClaim(KeyKind kind) throws Exception {
        assertThat(traditional(TestCas.of(kind)))
                .startsWith(
                        kind == KeyKind.RSA2048 ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN EC PRIVATE KEY-----");
    }

    @Test
    void ecPrivateKeyWithoutItsOptionalPublicKey() throws Exception {
        // openssl ec -no_public: SEC1 makes the public key optional
        CertificateAuthority ca = TestCas.ec();
        String key = TestCas.pem(traditionalSource(ca, false));
        assertThat(key).startsWith("-----BEGIN EC PRIVATE KEY-----");
        Path file = TestCas.write(tmp.resolve("ec-no-public.pem"), key + certPem(ca));
        assertSame(CaLoader.load(file, null), ca);
    }

    @Test
    void encryptedPkcs8HeaderIsWhatItClaims() throws Exception {
        assertThat(encryptedPkcs8(TestCas.ec())).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    }

    @Test
    void combinedPemPicksTheCertificateThatMatchesTheKey() throws Exception {
        // an intermediate-style bundle: another certificate first, then the CA's
        CertificateAuthority ca = TestCas.ec();
        Path file = TestCas.write(tmp.resolve("bundle.pem"), certPem(TestCas.rsa()) + certPem(ca) + pkcs8(ca));
        assertSame(CaLoader.load(file, null), ca);
    }

    // ---- two files: certificate + key --------------------------------------------------------

    enum KeyFormat {
        PKCS8,
        TRADITIONAL,
        ENCRYPTED_PKCS8,
        ENCRYPTED_TRADITIONAL
    }

    static Stream<Arguments> twoFileCases() {
        return Stream.of(KeyKind.values())
                .flatMap(k -> Stream.of(KeyFormat.values()).map(f -> Arguments.of(k, f)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("twoFileCases")
    void loadsCertificateAndKeyFiles(KeyKind kind, KeyFormat format) throws Exception {
        CertificateAuthority ca = TestCas.of(kind);
        Path cert = TestCas.write(tmp.resolve("ca.crt"), certPem(ca));
        Path key = tmp.resolve("ca.key");
        char[] password = null;
        switch (format) {
            case PKCS8 -> TestCas.write(key, pkcs8(ca));
            case TRADITIONAL -> TestCas.write(key, traditional(ca));
            case ENCRYPTED_PKCS8 -> {
                TestCas.write(key, encryptedPkcs8(ca));
                password = PASSWORD;
            }
            case ENCRYPTED_TRADITIONAL -> {
                TestCas.write(key, traditionalEncrypted(ca));
                password = PASSWORD;
            }
        }
        assertSame(CaLoader.load(cert, key, password), ca);
    }

    @Test
    void loadsThePasswordlessPkcs12ThatCaFilesWrites() throws Exception {
        CertificateAuthority ca = TestCas.rsa();
        CaFiles files = new CaFiles(tmp.resolve("ca"));
        files.write(ca, false, new char[0]);
        assertSame(CaLoader.load(files.pkcs12(), null), ca);
        assertSame(CaLoader.load(files.combined(), null), ca);
    }

    // ---- refusals --------------------------------------------------------------------------

    private void assertRefused(Path file, char[] password, String... messageParts) {
        assertThatThrownBy(() -> CaLoader.load(file, password))
                .isInstanceOf(CaException.class)
                .hasMessageContainingAll(messageParts);
    }

    @Test
    void missingFileNamesTheFile() {
        Path missing = tmp.resolve("no-such-ca.pem");
        assertRefused(missing, null, missing.toString(), "cannot read");
        assertThatThrownBy(() -> CaLoader.load(missing, tmp.resolve("no-such.key"), null))
                .isInstanceOf(CaException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void garbageIsNeitherPemNorPkcs12() throws Exception {
        byte[] junk = new byte[2048];
        new Random(42).nextBytes(junk);
        Path file = Files.write(tmp.resolve("junk.bin"), junk);
        assertRefused(file, null, file.toString(), "neither PEM nor PKCS#12");
    }

    @Test
    void garbageInsidePemArmourIsNotValidPem() throws Exception {
        Path file = TestCas.write(
                tmp.resolve("bad.pem"),
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        assertRefused(file, null, file.toString(), "not a valid PEM file");
    }

    @Test
    void certificateWithoutKey() throws Exception {
        Path file = TestCas.write(tmp.resolve("cert-only.pem"), certPem(TestCas.ec()));
        assertRefused(file, null, file.toString(), "no private key found");
        Path cert = TestCas.write(tmp.resolve("c.pem"), certPem(TestCas.ec()));
        assertThatThrownBy(() -> CaLoader.load(cert, cert, null))
                .isInstanceOf(CaException.class)
                .hasMessageContaining("no private key found");
    }

    @Test
    void keyWithoutCertificate() throws Exception {
        Path file = TestCas.write(tmp.resolve("key-only.pem"), pkcs8(TestCas.ec()));
        assertRefused(file, null, file.toString(), "no certificate found");
        Path key = TestCas.write(tmp.resolve("k.pem"), pkcs8(TestCas.ec()));
        assertThatThrownBy(() -> CaLoader.load(key, key, null))
                .isInstanceOf(CaException.class)
                .hasMessageContaining("no certificate found");
    }

    @Test
    void wrongPkcs12Password() throws Exception {
        CertificateAuthority ca = TestCas.ec();
        Path file = Files.write(tmp.resolve("ca.p12"), pkcs12(ca.certificate(), ca.privateKey(), PASSWORD));
        assertRefused(
                file,
                "wrong".toCharArray(),
                file.toString(),
                "wrong or missing PKCS#12 password",
                "--ca-password-file");
        assertRefused(file, null, file.toString(), "wrong or missing PKCS#12 password");
    }

    @ParameterizedTest
    @EnumSource(names = {"ENCRYPTED_PKCS8", "ENCRYPTED_TRADITIONAL"})
    void encryptedKeyWithoutPasswordAsksForThePasswordFile(KeyFormat format) throws Exception {
        CertificateAuthority ca = TestCas.ec();
        String key = format == KeyFormat.ENCRYPTED_PKCS8 ? encryptedPkcs8(ca) : traditionalEncrypted(ca);
        Path file = TestCas.write(tmp.resolve("enc.pem"), key + certPem(ca));
        assertRefused(file, null, file.toString(), "encrypted", "--ca-password-file");
    }

    @ParameterizedTest
    @EnumSource(names = {"ENCRYPTED_PKCS8", "ENCRYPTED_TRADITIONAL"})
    void encryptedKeyWithTheWrongPassword(KeyFormat format) throws Exception {
        CertificateAuthority ca = TestCas.ec();
        String key = format == KeyFormat.ENCRYPTED_PKCS8 ? encryptedPkcs8(ca) : traditionalEncrypted(ca);
        Path file = TestCas.write(tmp.resolve("enc.pem"), key + certPem(ca));
        assertThatThrownBy(() -> CaLoader.load(file, "not it".toCharArray()))
                .isInstanceOf(CaException.class)
                .hasMessageContaining(file.toString());
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private Path combined(String name, X509Certificate cert, KeyPair keys) throws Exception {
        return TestCas.write(tmp.resolve(name), TestCas.pem(new JcaPKCS8Generator(keys.getPrivate(), null), cert));
    }

    static Stream<Arguments> notACa() {
        return Stream.of(
                Arguments.of(
                        "no basicConstraints",
                        null,
                        new KeyUsage(KeyUsage.keyCertSign),
                        "basicConstraints CA:TRUE is missing"),
                Arguments.of("CA:FALSE", new BasicConstraints(false), null, "basicConstraints CA:TRUE is missing"),
                Arguments.of(
                        "CA:FALSE with keyCertSign",
                        new BasicConstraints(false),
                        new KeyUsage(KeyUsage.keyCertSign),
                        "basicConstraints CA:TRUE is missing"),
                Arguments.of(
                        "CA:TRUE, keyUsage digitalSignature only",
                        new BasicConstraints(true),
                        new KeyUsage(KeyUsage.digitalSignature),
                        "keyUsage lacks keyCertSign"),
                Arguments.of(
                        "CA:TRUE, keyUsage cRLSign only",
                        new BasicConstraints(0),
                        new KeyUsage(KeyUsage.cRLSign),
                        "keyUsage lacks keyCertSign"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notACa")
    void notACaCertificate(String label, BasicConstraints basic, KeyUsage usage, String message) throws Exception {
        KeyPair keys = ecKeys();
        Instant now = Instant.now();
        X509Certificate cert =
                TestCas.selfSigned(keys, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(100)), basic, usage);
        Path file = combined("not-ca.pem", cert, keys);
        assertRefused(file, null, file.toString(), "not a CA certificate", message);
    }

    @Test
    void caWithoutKeyUsageIsAccepted() throws Exception {
        KeyPair keys = ecKeys();
        Instant now = Instant.now();
        X509Certificate cert = TestCas.selfSigned(
                keys, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(100)), new BasicConstraints(true), null);
        assertThat(CaLoader.load(combined("ca-no-ku.pem", cert, keys), null).certificate())
                .isEqualTo(cert);
    }

    @Test
    void keyThatDoesNotMatchTheCertificate() throws Exception {
        Path cert = TestCas.write(tmp.resolve("ca.crt"), certPem(TestCas.rsa()));
        Path otherRsaKey = TestCas.write(
                tmp.resolve("other.key"),
                TestCas.pem(new JcaPKCS8Generator(
                        CaGenerator.generate("Other", KeyKind.RSA2048, 30).privateKey(), null)));
        assertThatThrownBy(() -> CaLoader.load(cert, otherRsaKey, null))
                .isInstanceOf(CaException.class)
                .hasMessageContainingAll("does not match the certificate", cert.toString());
        Path ecKey = TestCas.write(tmp.resolve("ec.key"), pkcs8(TestCas.ec()));
        assertThatThrownBy(() -> CaLoader.load(cert, ecKey, null))
                .isInstanceOf(CaException.class)
                .hasMessageContaining("does not match the certificate");
        Path mixed = TestCas.write(tmp.resolve("mixed.pem"), pkcs8(TestCas.ec()) + certPem(TestCas.rsa()));
        assertRefused(mixed, null, "does not match the certificate");
    }

    @Test
    void expiredCa() throws Exception {
        KeyPair keys = ecKeys();
        Instant now = Instant.now();
        X509Certificate cert = TestCas.selfSigned(
                keys,
                now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)),
                new BasicConstraints(true),
                new KeyUsage(KeyUsage.keyCertSign));
        Path file = combined("expired.pem", cert, keys);
        assertRefused(file, null, file.toString(), "expired on");
    }

    @Test
    void notYetValidCa() throws Exception {
        KeyPair keys = ecKeys();
        Instant now = Instant.now();
        X509Certificate cert = TestCas.selfSigned(
                keys,
                now.plus(Duration.ofDays(3)),
                now.plus(Duration.ofDays(300)),
                new BasicConstraints(true),
                new KeyUsage(KeyUsage.keyCertSign));
        Path file = combined("future.pem", cert, keys);
        assertRefused(file, null, file.toString(), "not valid before", "clock");
    }

    @Test
    void caExpiringSoonLoadsWithAWarning() throws Exception {
        CertificateAuthority soon = CaGenerator.generate("Soon CA", KeyKind.EC256, 10);
        Path file = TestCas.write(tmp.resolve("soon.pem"), pkcs8(soon) + certPem(soon));
        CertificateAuthority loaded = CaLoader.load(file, null);
        assertThat(loaded.sha256Fingerprint()).isEqualTo(soon.sha256Fingerprint());
        assertThat(loaded.warnings())
                .singleElement()
                .asString()
                .contains("expires in")
                .containsPattern("expires in (9|10) days");
        assertThat(TestCas.ec().warnings()).isEmpty();
    }
}
