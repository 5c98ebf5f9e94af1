package dev.tollgate.aks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.aks.AksValidator.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AksValidatorTest {
    /** A list that covers everything the validator warns about. */
    static final List<String> GOOD = List.of(
            "localhost",
            "127.0.0.1",
            "10.0.0.0/16",
            ".svc",
            ".cluster.local",
            "kubernetes.default",
            "169.254.169.254",
            "168.63.129.16");

    private static List<String> messages(List<Problem> problems) {
        return problems.stream().map(Problem::toString).toList();
    }

    // ---- httpProxy / httpsProxy

    @ParameterizedTest(name = "httpProxy {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "https://10.0.0.4:8080       | AKS does not accept https:// for httpProxy",
                "socks5://10.0.0.4:1080      | must start with http://",
                "HTTPS://10.0.0.4:8080       | AKS does not accept https://",
                "10.0.0.4:8080               | http://HOST:PORT",
                "proxy.example:8080          | must start with http://",
                "http://user:pw@10.0.0.4:8080 | contains credentials",
                "http://10.0.0.4:70000       | outside 1..65535",
                "http://10.0.0.4:0           | outside 1..65535",
                "http://                     | http://HOST:PORT",
                "'   '                       | is empty",
            })
    void httpProxyErrors(String url, String expected) {
        AksValidator v = new AksValidator();
        v.httpProxy(url);
        assertThat(v.errors()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("httpProxy");
            assertThat(p.message()).contains(expected);
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://10.0.0.4:8080",
                "https://proxy.example:8443",
                "HTTP://10.0.0.4:3128",
                "http://[fd00::4]:8080"
            })
    void httpsProxyAcceptsHttpAndHttps(String url) {
        AksValidator v = new AksValidator();
        v.httpsProxy(url);
        assertThat(v.errors()).isEmpty();
        assertThat(v.warnings()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://10.0.0.4:21", "socks5h://10.0.0.4:1080", "http://u@10.0.0.4:8080"})
    void httpsProxyErrors(String url) {
        AksValidator v = new AksValidator();
        v.httpsProxy(url);
        assertThat(v.errors()).singleElement().extracting(Problem::field).isEqualTo("httpsProxy");
    }

    @Test
    void plainHttpProxyIsClean() {
        AksValidator v = new AksValidator();
        v.httpProxy("http://10.0.0.4:8080");
        assertThat(v.errors()).isEmpty();
        assertThat(v.warnings()).isEmpty();
    }

    @ParameterizedTest(name = "{0} warns {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "http://10.0.0.4:8080/          | has a path",
                "http://10.0.0.4:8080/proxy     | has a path",
                "http://10.0.0.4:8080?x=1       | has a path",
                "http://10.0.0.4                | has no port, so clients use 80",
                "http://proxy.example           | (write http://proxy.example:8080)",
            })
    void proxyUrlWarnings(String url, String expected) {
        AksValidator v = new AksValidator();
        v.httpProxy(url);
        assertThat(v.errors()).isEmpty();
        assertThat(messages(v.warnings()))
                .singleElement()
                .asString()
                .startsWith("httpProxy: ")
                .contains(expected);
    }

    @Test
    void httpsProxyWithoutPortDefaultsTo443() {
        AksValidator v = new AksValidator();
        v.httpsProxy("https://proxy.example");
        assertThat(messages(v.warnings())).singleElement().asString().contains("clients use 443");
    }

    // ---- noProxy

    @ParameterizedTest(name = "noProxy {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "*.example.com     | AKS rejects '*' attached to a domain suffix; write \".example.com\"",
                "*.svc             | write \".svc\"",
                "*example.com      | AKS rejects '*' attached to a domain suffix",
                "foo*.example.com  | '*' is allowed only",
                "10.0.0.0/33       | is not a CIDR",
                "10.0.0.0/8:443    | a CIDR cannot have a port",
                "http://example.com | a URL",
                "a..b.com          | \"a..b.com\"",
                "example.com:0     | \"example.com:0\"",
                "10.0.0.256        | \"10.0.0.256\"",
            })
    void noProxyErrors(String entry, String expected) {
        AksValidator v = new AksValidator();
        List<String> kept = v.noProxy(List.of("localhost", entry));
        assertThat(v.errors()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("noProxy");
            assertThat(p.message()).contains(expected);
        });
        assertThat(kept).containsExactly("localhost");
    }

    @Test
    void everyBadEntryIsReported() {
        AksValidator v = new AksValidator();
        v.noProxy(List.of("*.a.com", "ok.com", "10.0.0.0/33"));
        assertThat(v.errors()).hasSize(2);
    }

    @Test
    void acceptedEntriesAreTrimmedAndBlanksDropped() {
        AksValidator v = new AksValidator();
        List<String> in = new ArrayList<>(GOOD);
        in.addAll(List.of(" .example.com ", "", "example.org:8443", "[::1]:8080", "fd00::/8", "*:443", "  "));
        List<String> kept = v.noProxy(in);
        assertThat(v.errors()).isEmpty();
        assertThat(kept)
                .containsSubsequence(".example.com", "example.org:8443", "[::1]:8080", "fd00::/8", "*:443")
                .doesNotContain("", "  ", " .example.com ");
    }

    @Test
    void goodListHasNoWarnings() {
        AksValidator v = new AksValidator();
        assertThat(v.noProxy(GOOD)).isEqualTo(GOOD);
        assertThat(v.errors()).isEmpty();
        assertThat(v.warnings()).isEmpty();
    }

    @Test
    void starCoversEverything() {
        AksValidator v = new AksValidator();
        v.noProxy(List.of("*"));
        v.serviceCidr("10.0.0.0/16", List.of("*"));
        assertThat(v.errors()).isEmpty();
        assertThat(v.warnings()).isEmpty();
    }

    @ParameterizedTest(name = "without {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                ".svc               | does not cover \".svc\"",
                ".cluster.local     | does not cover \".cluster.local\"",
                "kubernetes.default | does not cover \"kubernetes.default\"",
                "169.254.169.254    | 169.254.169.254 (Azure instance metadata service)",
                "168.63.129.16      | 168.63.129.16 (Azure wireserver",
            })
    void warnsWhenAnEssentialEntryIsMissing(String missing, String expected) {
        List<String> list = new ArrayList<>(GOOD);
        list.remove(missing);
        AksValidator v = new AksValidator();
        v.noProxy(list);
        assertThat(v.errors()).isEmpty();
        assertThat(messages(v.warnings()))
                .singleElement()
                .asString()
                .startsWith("noProxy: ")
                .contains(expected);
    }

    @Test
    void emptyListWarnsAboutEveryEssential() {
        AksValidator v = new AksValidator();
        v.noProxy(List.of());
        assertThat(v.warnings()).hasSize(5);
    }

    @Test
    void aWiderBlockOrSuffixCoversTheEssentials() {
        AksValidator v = new AksValidator();
        v.noProxy(List.of("svc", "cluster.local", "kubernetes.default", "169.254.0.0/16", "168.63.129.0/24"));
        assertThat(v.warnings()).isEmpty();
    }

    @Test
    void anEntryLimitedToAnotherPortDoesNotCover() {
        List<String> list = new ArrayList<>(GOOD);
        list.remove("169.254.169.254");
        list.add("169.254.169.254:8443");
        AksValidator v = new AksValidator();
        v.noProxy(list);
        assertThat(messages(v.warnings())).singleElement().asString().contains("169.254.169.254");
    }

    // ---- serviceCidr

    @ParameterizedTest(name = "service {0}, noProxy {1} -> warns {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "10.0.0.0/16  | 10.0.0.0/16              | false",
                "10.0.0.0/16  | 10.0.0.0/8               | false",
                "10.0.5.0/24  | 10.0.0.0/16              | false",
                "10.0.0.0/16  | 10.0.0.0/24              | true",
                "10.0.0.0/16  | 10.0.0.1                 | true",
                "10.0.0.0/16  | 10.1.0.0/16              | true",
                "10.0.0.0/16  | ''                       | true",
                "10.0.0.0/16  | .svc,10.0.0.0/16         | false",
                "fd00::/108   | fd00::/64                | false",
                "fd00::/108   | 10.0.0.0/8               | true",
                "10.0.0.0/16  | ::ffff:10.0.0.0/104      | false",
            })
    void serviceCidrCoverage(String cidr, String noProxy, boolean warns) {
        AksValidator v = new AksValidator();
        v.serviceCidr(cidr, Arrays.asList(noProxy.split(",")));
        assertThat(v.errors()).isEmpty();
        if (warns) {
            assertThat(messages(v.warnings()))
                    .singleElement()
                    .asString()
                    .contains("does not cover the service CIDR " + cidr.strip());
        } else {
            assertThat(v.warnings()).isEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "10.0.0.0        | no /prefix",
                "10.0.0.0/33     | prefix length",
                "nonsense/8      | not an IP address",
                "''              | no /prefix",
            })
    void badServiceCidr(String cidr, String expected) {
        AksValidator v = new AksValidator();
        v.serviceCidr(cidr, GOOD);
        assertThat(v.errors()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("serviceCidr");
            assertThat(p.message()).contains("is not a CIDR", expected);
        });
    }

    // ---- trustedCa

    private static List<Problem> caErrors(String pem) {
        AksValidator v = new AksValidator();
        v.trustedCa(pem.getBytes(StandardCharsets.US_ASCII));
        assertThat(v.errors()).allSatisfy(p -> assertThat(p.field()).isEqualTo("trustedCa"));
        return v.errors();
    }

    @Test
    void caCertificateWithoutSanIsAccepted() {
        assertThat(caErrors(TestCerts.pem(TestCerts.Kind.CA))).isEmpty();
    }

    @Test
    void leafWithSanIsAccepted() {
        assertThat(caErrors(TestCerts.pem(TestCerts.Kind.LEAF_WITH_SAN))).isEmpty();
    }

    @Test
    void bundleWithTextBetweenBlocksIsAccepted() {
        String pem = "# proxy CA\n" + TestCerts.pem(TestCerts.Kind.CA) + "\nsubject=...\n"
                + TestCerts.pem(TestCerts.Kind.LEAF_WITH_SAN);
        assertThat(caErrors(pem)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "leaf without SAN     | no subjectAltName extension",
                "with private key     | contains a private key",
                "empty                | holds no PEM certificate",
                "not PEM              | holds no PEM certificate",
                "21 certificates      | holds 21 certificates; AKS accepts at most 20",
                "over 35 KB           | AKS accepts at most 35840",
                "unterminated         | without its matching -----END",
                "bad base64 body      | certificate 1 is not a valid X.509 certificate",
                "other block          | only CERTIFICATE blocks",
            })
    void trustedCaErrors(String name, String expected) {
        String ca = TestCerts.pem(TestCerts.Kind.CA);
        String pem = switch (name.strip()) {
            case "leaf without SAN" -> ca + TestCerts.pem(TestCerts.Kind.LEAF_WITHOUT_SAN);
            case "with private key" -> TestCerts.privateKeyPem() + ca;
            case "empty" -> "";
            case "not PEM" -> "MIIB...";
            case "21 certificates" -> ca.repeat(21);
            case "over 35 KB" -> "#".repeat(AksValidator.MAX_PEM_BYTES) + "\n" + ca;
            case "unterminated" -> ca + "-----BEGIN CERTIFICATE-----\nMIIB\n";
            case "bad base64 body" ->
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";
            case "other block" -> ca + TestCerts.block("X509 CRL", new byte[] {1, 2, 3});
            default -> throw new IllegalArgumentException(name);
        };
        assertThat(messages(caErrors(pem))).anySatisfy(m -> assertThat(m).contains(expected));
    }

    @Test
    void twentyCertificatesAreAccepted() {
        assertThat(caErrors(TestCerts.pem(TestCerts.Kind.CA).repeat(20))).isEmpty();
    }
}
