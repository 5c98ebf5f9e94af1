package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The command-line contract: help and version exit 0, usage errors exit 2 with a message that
 * names the option at fault. None of these starts a server: parsing or config validation fails
 * (or help/version answers) before anything binds.
 */
class CliTest {

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "run --help"})
    void helpExitsZeroAndShowsUsage(String args) {
        Run r = run(args.split(" "));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: tollgate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "run --version"})
    void versionExitsZero(String args) {
        Run r = run(args.split(" "));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("tollgate ");
    }

    @Test
    void runHelpListsTheFlags() {
        assertThat(run("run", "--help").out())
                .contains("--listen", "--no-proxy", "--allow-client", "--flow-log", "--config");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "run --bogus"})
    void unknownOptionIsAUsageError(String args) {
        Run r = run(args.split(" "));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--bogus");
    }

    @Test
    void badListenAddressNamesTheFlag() {
        Run r = run("run", "--listen", "nonsense");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--listen", "nonsense");
    }

    @Test
    void badAdminAddressNamesTheFlag() {
        Run r = run("run", "--admin", "nowhere");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("invalid value for option '--admin'", "nowhere", "is not HOST:PORT");
    }

    @Test
    void transparentOnTheProxyPortNamesTheFlag() {
        Run r = run("run", "--listen", "127.0.0.1:18080", "--transparent", "0.0.0.0:18080");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .contains("invalid value for option '--transparent'", "0.0.0.0:18080", "is the proxy's port");
    }

    @Test
    void badNoProxyCidrNamesTheFlagAndTheReason() {
        Run r = run("run", "--no-proxy", "10.0.0.0/33");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--no-proxy", "10.0.0.0/33", "is not a CIDR");
    }

    @Test
    void unknownFlowLogFormatIsAUsageError() {
        Run r = run("run", "--flow-log", "xml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--flow-log", "xml");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--ca                | --ca no/such.pem",
                "--ca-cert           | --ca-cert no/such.pem --ca-key pom.xml",
                "--ca-key            | --ca-cert pom.xml --ca-key no/such.pem",
                "--ca-password-file  | --ca pom.xml --ca-password-file no/such.pem",
                "--upstream-trust    | --upstream-trust no/such.pem",
                "--proxy-auth-file   | --proxy-auth-file no/such.pem",
                "--config            | --config no/such.pem",
            })
    void aMissingFileExits2NamingTheFlagTheValueAndTheReason(String flag, String args) {
        Run r = run(("run --listen 127.0.0.1:0 " + args.strip()).split(" "));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'" + flag.strip() + "'", "no/such.pem", "does not exist");
    }

    @Test
    void caCertWithoutCaKeyExits2NamingBoth() {
        Run r = run("run", "--listen", "127.0.0.1:0", "--ca-cert", "pom.xml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'--ca-cert'", "pom.xml", "--ca-key");
    }
}
