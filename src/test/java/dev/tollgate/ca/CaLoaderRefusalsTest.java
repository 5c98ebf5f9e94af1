package dev.tollgate.ca;

import static dev.tollgate.ca.KeyFiles.PASSWORD;
import static dev.tollgate.ca.KeyFiles.certPem;
import static dev.tollgate.ca.KeyFiles.encryptedPkcs8;
import static dev.tollgate.ca.KeyFiles.pkcs12;
import static dev.tollgate.ca.KeyFiles.pkcs8;
import static dev.tollgate.ca.KeyFiles.traditionalEncrypted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every CA that CaLoader refuses, with the message it gives; and the one it loads with a warning. */
class CaLoaderRefusalsTest {
    @TempDir
    Path tmp;

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
    void encryptedKeyWithoutPasswordAsksForThePasswordFile(CaLoaderTest.KeyFormat format) throws Exception {
        CertificateAuthority ca = TestCas.ec();
        String key = format == CaLoaderTest.KeyFormat.ENCRYPTED_PKCS8 ? encryptedPkcs8(ca) : traditionalEncrypted(ca);
        Path file = TestCas.write(tmp.resolve("enc.pem"), key + certPem(ca));
        assertRefused(file, null, file.toString(), "encrypted", "--ca-password-file");
    }

    @ParameterizedTest
    @EnumSource(names = {"ENCRYPTED_PKCS8", "ENCRYPTED_TRADITIONAL"})
    void encryptedKeyWithTheWrongPassword(CaLoaderTest.KeyFormat format) throws Exception {
        CertificateAuthority ca = TestCas.ec();
        String key = format == CaLoaderTest.KeyFormat.ENCRYPTED_PKCS8 ? encryptedPkcs8(ca) : traditionalEncrypted(ca);
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
