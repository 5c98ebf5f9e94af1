package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code tollgate ca init} and {@code ca export}: files, output, exit codes. */
class CaCommandsTest {
    private static final Pattern FINGERPRINT =
            Pattern.compile("SHA-256 fingerprint: ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})");

    /** One CA made by `ca init` (EC: fast) for the export tests. */
    @TempDir
    static Path shared;

    private static Path caDir;

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err, byte[] stdout) {}

    /**
     * Runs the command tree. {@code ca export} writes its bytes to System.out (DER is binary),
     * not to the picocli writer, so that stream is captured too.
     */
    private static synchronized Run run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        PrintStream original = System.out;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        boolean export = args.length > 1 && args[1].equals("export");
        if (export) {
            System.setOut(new PrintStream(stdout, true));
        }
        int exit;
        try {
            exit = cli.execute(args);
        } finally {
            if (export) {
                System.setOut(original);
            }
        }
        return new Run(exit, out.toString(), err.toString(), stdout.toByteArray());
    }

    @BeforeAll
    static void init() {
        caDir = shared.resolve("certs");
        Run r = run("ca", "init", "--dir", caDir.toString(), "--key", "ec256");
        assertThat(r.exit()).as(r.err()).isZero();
    }

    private static String fingerprint(String out) {
        Matcher m = FINGERPRINT.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    private static X509Certificate parse(byte[] bytes) throws Exception {
        return (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(bytes));
    }

    @Test
    void initWritesTheCaAndPrintsFingerprintAndOneLineBase64() throws Exception {
        Path dir = tmp.resolve("certs");
        Run r = run("ca", "init", "--dir", dir.toString(), "--key", "ec256", "--cn", "Test Init CA", "--days", "30");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "Created CA",
                        "Test Init CA",
                        "rw-------",
                        "rw-r--r--",
                        dir.resolve("ca.key").toString(),
                        dir.resolve("ca.p12").toString());
        String pem = Files.readString(dir.resolve("ca.pem"));
        String base64Line = r.out()
                .lines()
                .filter(l -> l.matches("[A-Za-z0-9+/]{100,}={0,2}"))
                .findFirst()
                .orElseThrow();
        assertThat(new String(Base64.getDecoder().decode(base64Line), StandardCharsets.US_ASCII))
                .isEqualTo(pem);
        X509Certificate cert = parse(pem.getBytes(StandardCharsets.US_ASCII));
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
        assertThat(fingerprint(r.out()).replace(":", ""))
                .isEqualTo(HexFormat.of().withUpperCase().formatHex(digest));
        assertThat(cert.getSubjectX500Principal().getName()).contains("CN=Test Init CA");
    }

    @Test
    void secondInitRefusesAndForceReplaces() throws Exception {
        Path dir = tmp.resolve("certs");
        Run first = run("ca", "init", "--dir", dir.toString(), "--key", "ec256");
        assertThat(first.exit()).isZero();
        byte[] key = Files.readAllBytes(dir.resolve("ca.key"));

        Run second = run("ca", "init", "--dir", dir.toString(), "--key", "ec256");
        assertThat(second.exit()).isEqualTo(1);
        assertThat(second.err())
                .contains(
                        dir.resolve("ca.pem").toString(), dir.resolve("ca.key").toString(), "--force");
        assertThat(Files.readAllBytes(dir.resolve("ca.key"))).isEqualTo(key);

        Run forced = run("ca", "init", "--dir", dir.toString(), "--key", "ec256", "--force");
        assertThat(forced.exit()).as(forced.err()).isZero();
        assertThat(fingerprint(forced.out())).isNotEqualTo(fingerprint(first.out()));
        assertThat(Files.readAllBytes(dir.resolve("ca.key"))).isNotEqualTo(key);
    }

    @Test
    void initWithRsaByDefault() throws Exception {
        Path dir = tmp.resolve("rsa");
        Run r = run("ca", "init", "--dir", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(parse(Files.readAllBytes(dir.resolve("ca.pem")))
                        .getPublicKey()
                        .getAlgorithm())
                .isEqualTo("RSA");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--key dsa         | --key",
                "--key rsa4096     | --key",
                "--days 0          | --days",
                "--days -5         | --days",
                "--days 36501      | --days",
            })
    void badInitOptionsAreUsageErrors(String options, String named) {
        Path dir = tmp.resolve("certs");
        String[] opts = options.trim().split(" ");
        String[] args = new String[4 + opts.length];
        args[0] = "ca";
        args[1] = "init";
        args[2] = "--dir";
        args[3] = dir.toString();
        System.arraycopy(opts, 0, args, 4, opts.length);
        Run r = run(args);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(named);
        assertThat(dir).doesNotExist();
    }

    @Test
    void exportPemToStdoutIsCaPem() throws Exception {
        Run r = run("ca", "export", "--dir", caDir.toString(), "--format", "pem");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(new String(r.stdout(), StandardCharsets.US_ASCII))
                .isEqualTo(Files.readString(caDir.resolve("ca.pem")));
    }

    @Test
    void exportBase64ToStdoutDecodesToCaPem() throws Exception {
        Run r = run("ca", "export", "--dir", caDir.toString(), "--format", "base64");
        assertThat(r.exit()).as(r.err()).isZero();
        String text = new String(r.stdout(), StandardCharsets.US_ASCII);
        assertThat(text).endsWith("\n");
        assertThat(text.strip()).doesNotContain("\n");
        assertThat(new String(Base64.getDecoder().decode(text.strip()), StandardCharsets.US_ASCII))
                .isEqualTo(Files.readString(caDir.resolve("ca.pem")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pem", "der", "base64", "DER"})
    void exportToAFileRoundTrips(String format) throws Exception {
        Path out = tmp.resolve("exported." + format);
        Run r = run("ca", "export", "--dir", caDir.toString(), "--format", format, "-o", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.stdout()).isEmpty();
        byte[] bytes = Files.readAllBytes(out);
        X509Certificate expected = parse(Files.readAllBytes(caDir.resolve("ca.pem")));
        byte[] decoded = format.equalsIgnoreCase("base64")
                ? Base64.getDecoder().decode(new String(bytes, StandardCharsets.US_ASCII).strip())
                : bytes;
        if (format.equalsIgnoreCase("der")) {
            assertThat(bytes).isEqualTo(expected.getEncoded());
        }
        assertThat(parse(decoded)).isEqualTo(expected);
    }

    @Test
    void exportFromCombinedAndFromCertAndKey() throws Exception {
        X509Certificate expected = parse(Files.readAllBytes(caDir.resolve("ca.pem")));
        Run combined =
                run("ca", "export", "--ca", caDir.resolve("ca-combined.pem").toString(), "--format", "der");
        assertThat(combined.exit()).as(combined.err()).isZero();
        assertThat(parse(combined.stdout())).isEqualTo(expected);
        Run pair = run(
                "ca",
                "export",
                "--ca-cert",
                caDir.resolve("ca.pem").toString(),
                "--ca-key",
                caDir.resolve("ca.key").toString());
        assertThat(pair.exit()).as(pair.err()).isZero();
        assertThat(parse(pair.stdout())).isEqualTo(expected);
    }

    @Test
    void exportCertWithoutKeyIsAUsageError() {
        Run r = run("ca", "export", "--ca-cert", caDir.resolve("ca.pem").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--ca-cert", "--ca-key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--ca", "--ca-cert", "--ca-key", "--ca-password-file"})
    void exportFromAMissingFileExits2NamingTheFlag(String flag) {
        String missing = tmp.resolve("no-such.pem").toString();
        String pem = caDir.resolve("ca.pem").toString();
        String key = caDir.resolve("ca.key").toString();
        String[] args = switch (flag) {
            case "--ca" -> new String[] {"ca", "export", "--ca", missing};
            case "--ca-cert" -> new String[] {"ca", "export", "--ca-cert", missing, "--ca-key", key};
            case "--ca-key" -> new String[] {"ca", "export", "--ca-cert", pem, "--ca-key", missing};
            default -> new String[] {"ca", "export", "--ca-cert", pem, "--ca-key", key, "--ca-password-file", missing};
        };
        Run r = run(args);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'" + flag + "'", missing, "does not exist");
    }

    @Test
    void initWithAMissingPasswordFileExits2NamingTheFlag() {
        String missing = tmp.resolve("no-such-password").toString();
        Run r = run("ca", "init", "--dir", tmp.resolve("never").toString(), "--p12-password-file", missing);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'--p12-password-file'", missing, "does not exist");
        assertThat(tmp.resolve("never")).doesNotExist();
    }

    @Test
    void exportUnknownFormatIsAUsageError() {
        Run r = run("ca", "export", "--dir", caDir.toString(), "--format", "jks");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--format", "jks");
    }

    @Test
    void exportFromAnEmptyDirSaysCaInit() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Run r = run("ca", "export", "--dir", empty.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no CA in", empty.toString(), "ca init");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void exportNeverPrintsTheKey() {
        for (String format : new String[] {"pem", "base64"}) {
            Run r = run("ca", "export", "--dir", caDir.toString(), "--format", format);
            String text = new String(r.stdout(), StandardCharsets.US_ASCII);
            String decoded = format.equals("base64")
                    ? new String(Base64.getDecoder().decode(text.strip()), StandardCharsets.US_ASCII)
                    : text;
            assertThat(decoded).doesNotContain("PRIVATE KEY").contains("BEGIN CERTIFICATE");
        }
    }
}
