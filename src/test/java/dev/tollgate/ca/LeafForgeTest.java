package dev.tollgate.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every field of a forged leaf, read back with the JDK's own X.509 parser. */
class LeafForgeTest {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    /** One forge per (CA key, leaf key): made once for the class. */
    private static final Map<KeyKind, Map<KeyKind, LeafForge>> FORGES = new EnumMap<>(KeyKind.class);

    @BeforeAll
    static void forges() {
        for (KeyKind caKind : KeyKind.values()) {
            Map<KeyKind, LeafForge> byLeaf = new EnumMap<>(KeyKind.class);
            for (KeyKind leafKind : KeyKind.values()) {
                byLeaf.put(leafKind, new LeafForge(TestCas.of(caKind), leafKind));
            }
            FORGES.put(caKind, byLeaf);
        }
    }

    private static LeafForge forge(KeyKind ca, KeyKind leaf) {
        return FORGES.get(ca).get(leaf);
    }

    static Stream<Arguments> combinations() {
        List<Arguments> out = new ArrayList<>();
        for (KeyKind ca : KeyKind.values()) {
            for (KeyKind leaf : KeyKind.values()) {
                out.add(Arguments.of(ca, leaf));
            }
        }
        return out.stream();
    }

    private static List<List<Object>> sans(X509Certificate cert) throws Exception {
        Collection<List<?>> raw = cert.getSubjectAlternativeNames();
        assertThat(raw).as("subjectAltName").isNotNull();
        List<List<Object>> out = new ArrayList<>();
        for (List<?> entry : raw) {
            out.add(List.of(entry.get(0), entry.get(1)));
        }
        return out;
    }

    private static String commonName(X509Certificate cert) throws Exception {
        for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
            if (rdn.getType().equalsIgnoreCase("CN")) {
                return rdn.getValue().toString();
            }
        }
        return null;
    }

    @ParameterizedTest(name = "{0} -> SAN type {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                // name                    | SAN type (2 dNSName, 7 iPAddress)
                "www.example.test          | 2",
                "a.b.c.example.test        | 2",
                "localhost                 | 2",
                "192.0.2.10                | 7",
                "127.0.0.1                 | 7",
                "2001:db8::1               | 7",
                "::1                       | 7",
                "*.wild.example.test       | 2",
            })
    void sanMatchesTheKindOfName(String name, int type) throws Exception {
        X509Certificate leaf =
                forge(KeyKind.EC256, KeyKind.EC256).forge(name, List.of()).certificate();
        List<List<Object>> sans = sans(leaf);
        assertThat(sans).hasSize(1);
        assertThat(sans.get(0).get(0)).isEqualTo(type);
        if (type == SAN_IP) {
            // the JDK renders IPv6 in its own long form: compare the addresses, not the text
            assertThat(InetAddress.getByName((String) sans.get(0).get(1))).isEqualTo(InetAddress.getByName(name));
            assertThat(InetAddress.getByName((String) sans.get(0).get(1)).getAddress())
                    .hasSize(name.contains(":") ? 16 : 4);
        } else {
            assertThat(sans.get(0).get(1)).isEqualTo(name);
        }
        assertThat(commonName(leaf)).isEqualTo(name);
    }

    @Test
    void longNameTruncatesTheCommonNameButNotTheSan() throws Exception {
        String name = "a-rather-long-first-label-for-testing." + "b".repeat(40) + ".example.test";
        assertThat(name.length()).isGreaterThan(64);
        X509Certificate leaf =
                forge(KeyKind.EC256, KeyKind.EC256).forge(name, List.of()).certificate();
        assertThat(commonName(leaf)).isEqualTo(name.substring(0, 64)).hasSize(64);
        assertThat(sans(leaf)).containsExactly(List.of(SAN_DNS, name));
    }

    @Test
    void extraNamesAreDeduplicatedAndWildcardsKeptAsDns() throws Exception {
        X509Certificate leaf = forge(KeyKind.EC256, KeyKind.EC256)
                .forge(
                        "api.example.test",
                        List.of(
                                "*.example.test",
                                "API.example.test",
                                "10.1.2.3",
                                "*.example.test",
                                "10.1.2.3",
                                "other.test"))
                .certificate();
        assertThat(sans(leaf))
                .containsExactly(
                        List.of(SAN_DNS, "api.example.test"),
                        List.of(SAN_DNS, "*.example.test"),
                        List.of(SAN_IP, "10.1.2.3"),
                        List.of(SAN_DNS, "other.test"));
    }

    @ParameterizedTest(name = "CA {0}, leaf key {1}")
    @MethodSource("combinations")
    void constraintsUsagesAndIssuer(KeyKind caKind, KeyKind leafKind) throws Exception {
        CertificateAuthority ca = TestCas.of(caKind);
        X509Certificate leaf =
                forge(caKind, leafKind).forge("svc.example.test", List.of()).certificate();

        assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getCriticalExtensionOIDs()).contains(Extension.basicConstraints.getId());
        assertThat(leaf.getExtensionValue(Extension.basicConstraints.getId())).isNotNull();
        assertThat(leaf.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);

        boolean[] ku = leaf.getKeyUsage();
        assertThat(ku).isNotNull();
        List<Integer> set = new ArrayList<>();
        for (int i = 0; i < ku.length; i++) {
            if (ku[i]) {
                set.add(i);
            }
        }
        assertThat(set)
                .containsExactlyElementsOf(
                        leafKind == KeyKind.RSA2048
                                ? List.of(DIGITAL_SIGNATURE, KEY_ENCIPHERMENT)
                                : List.of(DIGITAL_SIGNATURE));
        assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo(leafKind == KeyKind.RSA2048 ? "RSA" : "EC");
    }

    @ParameterizedTest(name = "CA {0}, leaf key {1}")
    @MethodSource("combinations")
    void authorityKeyIdIsTheCaSubjectKeyId(KeyKind caKind, KeyKind leafKind) throws Exception {
        X509Certificate caCert = TestCas.of(caKind).certificate();
        X509Certificate leaf =
                forge(caKind, leafKind).forge("aki.example.test", List.of()).certificate();
        byte[] caSki = SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(
                        caCert.getExtensionValue(Extension.subjectKeyIdentifier.getId())))
                .getKeyIdentifier();
        byte[] aki = AuthorityKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(
                        leaf.getExtensionValue(Extension.authorityKeyIdentifier.getId())))
                .getKeyIdentifierOctets();
        assertThat(caSki).isNotEmpty();
        assertThat(aki).isEqualTo(caSki);
        // and the leaf's own SKI is its key's, not the CA's
        byte[] leafSki = SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(
                        leaf.getExtensionValue(Extension.subjectKeyIdentifier.getId())))
                .getKeyIdentifier();
        assertThat(leafSki).isNotEqualTo(caSki);
    }

    @ParameterizedTest
    @EnumSource(KeyKind.class)
    void serialsArePositiveAndUnique(KeyKind caKind) throws Exception {
        LeafForge f = forge(caKind, KeyKind.EC256);
        X509Certificate a = f.forge("same.example.test", List.of()).certificate();
        X509Certificate b = f.forge("same.example.test", List.of()).certificate();
        assertThat(a.getSerialNumber().signum()).isEqualTo(1);
        assertThat(b.getSerialNumber().signum()).isEqualTo(1);
        assertThat(a.getSerialNumber()).isNotEqualTo(b.getSerialNumber());
        assertThat(a.getSerialNumber().bitLength()).isLessThanOrEqualTo(159); // fits 20 octets, positive
    }

    @ParameterizedTest
    @EnumSource(KeyKind.class)
    void validityIsBackdatedTwoDaysAndSpansAtMost397Days(KeyKind caKind) throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X509Certificate leaf = forge(caKind, KeyKind.EC256)
                .forge("time.example.test", List.of())
                .certificate();
        Instant after = Instant.now();
        Instant notBefore = leaf.getNotBefore().toInstant();
        assertThat(notBefore)
                .isBetween(before.minus(Duration.ofDays(2)).minusSeconds(1), after.minus(Duration.ofDays(2)));
        // the shared CAs are valid 365 days, so here the CA's end is the cap
        assertThat(inclusiveSpan(leaf)).isLessThanOrEqualTo(Duration.ofDays(397));
        assertThat(leaf.getNotAfter().toInstant())
                .isBeforeOrEqualTo(
                        TestCas.of(caKind).certificate().getNotAfter().toInstant());
    }

    /**
     * Browsers and Apple platforms count notAfter - notBefore with both ends included against
     * the 398-day limit; a leaf backdated two days must end two days earlier to stay under it.
     */
    @Test
    void validitySpansExactly397DaysUnderALongLivedCa() throws Exception {
        CertificateAuthority longCa = CaGenerator.generate("Long CA", KeyKind.EC256, 3650);
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X509Certificate leaf = new LeafForge(longCa, KeyKind.EC256)
                .forge("long.example.test", List.of())
                .certificate();
        Instant after = Instant.now();
        assertThat(inclusiveSpan(leaf)).isEqualTo(Duration.ofDays(397));
        assertThat(inclusiveSpan(leaf)).isLessThan(Duration.ofDays(398));
        assertThat(leaf.getNotBefore().toInstant())
                .isBetween(before.minus(Duration.ofDays(2)), after.minus(Duration.ofDays(2)));
        assertThat(leaf.getNotAfter().toInstant())
                .isBetween(before.plus(Duration.ofDays(395)).minusSeconds(1), after.plus(Duration.ofDays(395)));
    }

    private static Duration inclusiveSpan(X509Certificate leaf) {
        return Duration.between(
                        leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant())
                .plusSeconds(1);
    }

    @Test
    void validityStopsAtTheCaEndForAShortLivedCa() throws Exception {
        CertificateAuthority shortCa = CaGenerator.generate("Short CA", KeyKind.EC256, 10);
        X509Certificate leaf = new LeafForge(shortCa, KeyKind.EC256)
                .forge("short.example.test", List.of())
                .certificate();
        assertThat(leaf.getNotAfter()).isEqualTo(shortCa.certificate().getNotAfter());
        assertThat(Duration.between(Instant.now(), leaf.getNotAfter().toInstant())
                        .toDays())
                .isBetween(9L, 10L);
    }

    @ParameterizedTest(name = "CA {0}, leaf key {1}")
    @MethodSource("combinations")
    void signedByTheCaWithItsAlgorithm(KeyKind caKind, KeyKind leafKind) throws Exception {
        CertificateAuthority ca = TestCas.of(caKind);
        X509Certificate leaf =
                forge(caKind, leafKind).forge("sig.example.test", List.of()).certificate();
        assertThat(leaf.getSigAlgName()).isEqualTo(caKind == KeyKind.RSA2048 ? "SHA256withRSA" : "SHA256withECDSA");
        assertThatCode(() -> leaf.verify(ca.certificate().getPublicKey())).doesNotThrowAnyException();
        X509Certificate otherCa = TestCas.of(caKind == KeyKind.RSA2048 ? KeyKind.EC256 : KeyKind.RSA2048)
                .certificate();
        assertThatThrownBy(() -> leaf.verify(otherCa.getPublicKey())).isInstanceOf(GeneralSecurityException.class);
    }

    @ParameterizedTest(name = "CA {0}, leaf key {1}")
    @MethodSource("combinations")
    void pkixTrustManagerTrustingOnlyTheCaAcceptsTheChain(KeyKind caKind, KeyKind leafKind) throws Exception {
        CertificateAuthority ca = TestCas.of(caKind);
        Leaf leaf = forge(caKind, leafKind).forge("trust.example.test", List.of("10.0.0.1"));
        assertThat(leaf.chain()).containsExactly(leaf.certificate(), ca.certificate());

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
        String authType = leafKind == KeyKind.RSA2048 ? "ECDHE_RSA" : "ECDHE_ECDSA";
        assertThatCode(() -> tm.checkServerTrusted(leaf.chain(), authType)).doesNotThrowAnyException();
        assertThatCode(() -> tm.checkServerTrusted(new X509Certificate[] {leaf.certificate()}, authType))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(KeyKind.class)
    void oneLeafKeyIsSharedAcrossForgings(KeyKind leafKind) throws Exception {
        LeafForge f = forge(KeyKind.EC256, leafKind);
        Leaf a = f.forge("one.example.test", List.of());
        Leaf b = f.forge("two.example.test", List.of("three.example.test"));
        assertThat(b.key()).isSameAs(a.key());
        assertThat(b.certificate().getPublicKey()).isEqualTo(a.certificate().getPublicKey());
        // a second forge has a key of its own
        assertThat(forge(KeyKind.RSA2048, leafKind)
                        .forge("one.example.test", List.of())
                        .key())
                .isNotEqualTo(a.key());
    }
}
