package dev.tollgate.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/install.sh under a scratch root (DESTDIR): the layout it creates, the unit's key
 * lines, idempotence, that the operator's config is kept, and that --uninstall keeps the CA.
 * With DESTDIR set the script creates no user and runs no systemctl, so this is safe as root.
 */
class InstallScriptIT {
    private static final Path SCRIPT = Path.of("scripts", "install.sh").toAbsolutePath();

    @TempDir
    Path root;

    @TempDir
    Path work;

    private Path jar;

    private record Result(int exit, String output) {}

    @BeforeAll
    static void needsBash() {
        assumeTrue(
                Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, "bash"))),
                "bash is not on PATH");
    }

    @BeforeEach
    void dummyJar() throws IOException {
        jar = work.resolve("dummy.jar");
        Files.writeString(jar, "not really a jar\n");
    }

    private Result install(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DESTDIR", root.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("install.sh finished").isTrue();
        return new Result(p.exitValue(), out);
    }

    private Result installOk(String... args) throws IOException, InterruptedException {
        Result r = install(args);
        assertThat(r.exit()).as(r.output()).isZero();
        return r;
    }

    private String mode(String path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(path)));
    }

    /** Every path under the root with its type, mode, size, mtime and SHA-256. */
    private String listing() throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.sorted().map(this::describe).collect(Collectors.joining("\n"));
        }
    }

    private String describe(Path p) {
        try {
            String kind = Files.isDirectory(p) ? "d" : "f";
            String line = kind + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + " "
                    + root.relativize(p);
            if (kind.equals("f")) {
                byte[] bytes = Files.readAllBytes(p);
                line += " " + bytes.length + " " + Files.getLastModifiedTime(p) + " "
                        + HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            }
            return line;
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void backdateEverything() throws IOException {
        FileTime longAgo = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, longAgo);
            }
        }
    }

    @Test
    void installsTheLayout() throws Exception {
        Result r = installOk("--jar", jar.toString());

        assertThat(root.resolve("opt/tollgate/tollgate.jar")).hasSameBinaryContentAs(jar);
        assertThat(root.resolve("etc/tollgate/tollgate.yaml")).hasSameTextualContentAs(Path.of("config/tollgate.yaml"));
        assertThat(root.resolve("etc/tollgate/logback.xml")).hasSameTextualContentAs(Path.of("config/logback.xml"));
        assertThat(root.resolve("etc/tollgate/jvm.options")).hasSameTextualContentAs(Path.of("config/jvm.options"));
        assertThat(root.resolve("etc/systemd/system/tollgate.service"))
                .hasSameTextualContentAs(Path.of("scripts/tollgate.service"));
        assertThat(root.resolve("var/lib/tollgate")).isDirectory();
        assertThat(mode("etc/tollgate/certs")).isEqualTo("rwx------");
        assertThat(mode("opt/tollgate/tollgate.jar")).isEqualTo("rw-r--r--");
        assertThat(r.output()).contains("not creating the system user tollgate").contains("no daemon-reload");
    }

    @Test
    void unitHasTheKeyLines() throws Exception {
        installOk("--jar", jar.toString());
        String unit = Files.readString(root.resolve("etc/systemd/system/tollgate.service"));
        // ExecStart is continued over several lines; join them to check it as systemd reads it.
        String joined = unit.replace("\\\n", " ").replaceAll(" +", " ");

        assertThat(joined)
                .containsPattern(
                        "(?m)^ExecStart=/usr/bin/java .*-Dlogback.configurationFile=/etc/tollgate/logback.xml"
                                + " -jar /opt/tollgate/tollgate.jar run --config /etc/tollgate/tollgate.yaml --certs-dir /etc/tollgate/certs$");
        assertThat(unit.lines().map(String::strip).toList())
                .contains(
                        "Type=simple",
                        "User=tollgate",
                        "WorkingDirectory=/var/lib/tollgate",
                        "Restart=on-failure",
                        "SuccessExitStatus=143",
                        "TimeoutStopSec=30",
                        "LimitNOFILE=1048576",
                        "NoNewPrivileges=yes",
                        "ProtectSystem=strict",
                        "ProtectHome=yes",
                        "PrivateTmp=yes",
                        "PrivateDevices=yes",
                        "ProtectKernelTunables=yes",
                        "ProtectKernelModules=yes",
                        "ProtectControlGroups=yes",
                        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
                        "ReadWritePaths=/etc/tollgate/certs /var/lib/tollgate",
                        "CapabilityBoundingSet=",
                        "#AmbientCapabilities=CAP_NET_BIND_SERVICE");
        assertThat(unit).doesNotContainPattern("(?m)^AmbientCapabilities=");
    }

    @Test
    void secondRunChangesNothing() throws Exception {
        installOk("--jar", jar.toString());
        backdateEverything(); // a rewrite would then show in the mtimes, however soon it comes
        String first = listing();
        installOk("--jar", jar.toString());
        assertThat(listing()).isEqualTo(first);
    }

    @Test
    void newJarReplacesTheOldOne() throws Exception {
        installOk("--jar", jar.toString());
        Files.writeString(jar, "version 2\n");
        installOk("--jar", jar.toString());
        assertThat(root.resolve("opt/tollgate/tollgate.jar")).hasContent("version 2");
    }

    @Test
    void keepsAnExistingConfig() throws Exception {
        Path yaml = root.resolve("etc/tollgate/tollgate.yaml");
        Files.createDirectories(yaml.getParent());
        Files.writeString(yaml, "listen: 0.0.0.0:3128\n");

        Result r = installOk("--jar", jar.toString());

        assertThat(yaml).hasContent("listen: 0.0.0.0:3128");
        assertThat(r.output()).contains("kept existing " + yaml);
        assertThat(root.resolve("etc/tollgate/logback.xml")).exists();
    }

    @Test
    void uninstallRemovesJarAndUnitButKeepsTheCa() throws Exception {
        installOk("--jar", jar.toString());
        Path key = root.resolve("etc/tollgate/certs/ca.key");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n");

        Result r = installOk("--uninstall");

        assertThat(root.resolve("opt/tollgate/tollgate.jar")).doesNotExist();
        assertThat(root.resolve("etc/systemd/system/tollgate.service")).doesNotExist();
        assertThat(key).exists();
        assertThat(root.resolve("etc/tollgate/tollgate.yaml")).exists();
        assertThat(r.output()).contains("KEPT " + root.resolve("etc/tollgate/certs"), "never deleted silently");
    }

    @Test
    void missingJarIsAnError() throws Exception {
        Result r = install("--jar", work.resolve("nope.jar").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("--jar", "no such file");
        assertThat(root.resolve("opt")).doesNotExist();
    }

    @Test
    void unknownArgumentIsAnError() throws Exception {
        Result r = install("--bogus");
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("--bogus");
    }
}
