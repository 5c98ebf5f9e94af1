package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.policy.EgressPolicy.AddressVerdict;
import dev.tollgate.policy.EgressPolicy.ListEntryException;
import dev.tollgate.policy.EgressPolicy.Mode;
import dev.tollgate.policy.EgressPolicy.Verdict;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EgressPolicyTest {
    private static final List<String> DENY =
            List.of("169.254.169.254", "10.0.0.0/8", "fd00:ec2::254", ".internal.example.com", "smtp.example.com:25");

    private static final EgressPolicy DENY_LIST = EgressPolicy.of(Mode.DENY_LIST, List.of(), DENY, null);

    private static final EgressPolicy ALLOW_LIST = EgressPolicy.of(
            Mode.ALLOW_LIST,
            List.of(".example.com", "api.partner.net:8443", "203.0.113.0/24", "2001:db8::/32"),
            DENY,
            List.of(443, 8443));

    @ParameterizedTest(name = "{0}:{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                // host                  | port | expected rule, or "allowed"
                "example.org             | 443  | allowed",
                "example.org             | 25   | allowed",
                "169.254.169.254         | 80   | deny 169.254.169.254",
                "::ffff:169.254.169.254  | 80   | deny 169.254.169.254",
                "10.20.30.40             | 443  | deny 10.0.0.0/8",
                "11.0.0.1                | 443  | allowed",
                "fd00:ec2::254           | 80   | deny fd00:ec2::254",
                "[FD00:EC2:0:0:0:0:0:254]| 80   | deny fd00:ec2::254",
                "fd00:ec2::253           | 80   | allowed",
                "db.internal.example.com | 5432 | deny .internal.example.com",
                "INTERNAL.example.com.   | 443  | deny .internal.example.com",
                "smtp.example.com        | 25   | deny smtp.example.com:25",
                "smtp.example.com        | 587  | allowed",
            })
    void denyListMode(String host, int port, String expected) {
        assertThat(describe(DENY_LIST.check(host, port))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}:{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "example.com             | 443  | allowed",
                "www.example.com         | 8443 | allowed",
                "www.example.com         | 80   | port",
                "www.example.com         | 25   | port",
                "db.internal.example.com | 443  | deny .internal.example.com",
                "db.internal.example.com | 25   | deny .internal.example.com",
                "api.partner.net         | 8443 | allowed",
                "api.partner.net         | 443  | not in allow-list",
                "other.partner.net       | 8443 | not in allow-list",
                "example.org             | 443  | not in allow-list",
                "203.0.113.9             | 443  | allowed",
                "::ffff:203.0.113.9      | 443  | allowed",
                "203.0.114.9             | 443  | not in allow-list",
                "2001:db8::1             | 443  | allowed",
                "[2001:db8::1]           | 443  | allowed",
                "2001:db9::1             | 443  | not in allow-list",
                "10.1.1.1                | 443  | deny 10.0.0.0/8",
                "''                      | 443  | not in allow-list",
            })
    void allowListMode(String host, int port, String expected) {
        assertThat(describe(ALLOW_LIST.check(host, port))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}:{2}")
    @CsvSource(
            delimiter = '|',
            value = {
                // deny-list mode: the resolved address decides whether a harmless-looking name is denied
                "DENY_LIST  | metadata.attacker.org | 169.254.169.254    | 80   | deny 169.254.169.254",
                "DENY_LIST  | metadata.attacker.org | ::ffff:169.254.169.254 | 80 | deny 169.254.169.254",
                "DENY_LIST  | rebind.attacker.org   | 10.9.8.7           | 443  | deny 10.0.0.0/8",
                "DENY_LIST  | v6.attacker.org       | fd00:ec2::254      | 80   | deny fd00:ec2::254",
                "DENY_LIST  | example.org           | 93.184.215.14      | 443  | allowed",
                "DENY_LIST  | db.internal.example.com | 93.184.215.14    | 443  | deny .internal.example.com",
                // allow-list mode
                "ALLOW_LIST | www.example.com       | 93.184.215.14      | 443  | allowed",
                "ALLOW_LIST | www.example.com       | 10.0.0.5           | 443  | deny 10.0.0.0/8",
                "ALLOW_LIST | www.example.com       | ::ffff:10.0.0.5    | 443  | deny 10.0.0.0/8",
                "ALLOW_LIST | www.example.com       | 169.254.169.254    | 443  | deny 169.254.169.254",
                "ALLOW_LIST | cdn.other.net         | 203.0.113.77       | 443  | allowed",
                "ALLOW_LIST | cdn.other.net         | ::ffff:203.0.113.77 | 443 | allowed",
                "ALLOW_LIST | cdn.other.net         | 2001:db8:1::7      | 443  | allowed",
                "ALLOW_LIST | cdn.other.net         | 198.51.100.7       | 443  | not in allow-list",
                "ALLOW_LIST | cdn.other.net         | 2001:db9::7        | 443  | not in allow-list",
                "ALLOW_LIST | cdn.other.net         | 203.0.113.77       | 80   | port",
                "ALLOW_LIST | www.example.com       | 93.184.215.14      | 22   | port",
            })
    void resolvedAddresses(Mode mode, String host, String address, int port, String expected) {
        EgressPolicy policy = mode == Mode.DENY_LIST ? DENY_LIST : ALLOW_LIST;
        assertThat(describe(policy.checkResolved(host, inet(address), port))).isEqualTo(expected);
    }

    @Test
    void mappedAddressAsInet6AddressIsStillIpv4() throws UnknownHostException {
        // InetAddress.getByAddress turns mapped bytes into an Inet4Address; Inet6Address does not.
        byte[] mapped = IpLiteral.parse("::ffff:169.254.169.254");
        InetAddress v6 = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(v6).isInstanceOf(Inet6Address.class);
        assertThat(describe(DENY_LIST.checkResolved("x.attacker.org", v6, 80))).isEqualTo("deny 169.254.169.254");
    }

    @Test
    void allowedOfKeepsTheAllowedAddressesInTheResolversOrder() {
        List<InetAddress> resolved =
                List.of(inet("93.184.215.14"), inet("169.254.169.254"), inet("2001:db8::7"), inet("10.1.2.3"));
        assertThat(DENY_LIST.allowedOf("mixed.attacker.org", 443, resolved))
                .isEqualTo(new AddressVerdict.Allowed(List.of(inet("93.184.215.14"), inet("2001:db8::7"))));
    }

    @Test
    void allowedOfDeniesWithTheFirstDenialWhenNoAddressIsAllowed() {
        List<InetAddress> resolved = List.of(inet("169.254.169.254"), inet("10.1.2.3"));
        assertThat(DENY_LIST.allowedOf("metadata.attacker.org", 80, resolved))
                .isEqualTo(new AddressVerdict.Denied(
                        "deny 169.254.169.254",
                        "metadata.attacker.org resolved to 169.254.169.254, which matches deny entry 169.254.169.254"));
    }

    @Test
    void allowedOfAppliesTheNameAndPortRulesToo() {
        List<InetAddress> harmless = List.of(inet("203.0.113.9"));
        assertThat(ALLOW_LIST.allowedOf("cdn.other.net", 443, harmless))
                .isEqualTo(new AddressVerdict.Allowed(harmless));
        assertThat(ALLOW_LIST.allowedOf("cdn.other.net", 80, harmless))
                .isEqualTo(new AddressVerdict.Denied("port", "port 80 is not in the allowed ports 443,8443"));
        assertThat(ALLOW_LIST.allowedOf("db.internal.example.com", 443, harmless))
                .isEqualTo(new AddressVerdict.Denied(
                        "deny .internal.example.com",
                        "db.internal.example.com matches deny entry .internal.example.com"));
        assertThat(ALLOW_LIST.allowedOf("cdn.other.net", 443, List.of(inet("198.51.100.7"))))
                .isEqualTo(new AddressVerdict.Denied(
                        "not in allow-list",
                        "cdn.other.net resolved to 198.51.100.7, which is not in the egress allow-list"));
    }

    @Test
    void allowedOfNeedsAnAddress() {
        assertThatThrownBy(() -> DENY_LIST.allowedOf("example.org", 443, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no resolved addresses to check for example.org:443");
    }

    @Test
    void denyAlwaysWinsOverAllow() {
        EgressPolicy policy = EgressPolicy.of(
                Mode.ALLOW_LIST, List.of("*", "10.0.0.0/8"), List.of("secret.example.com", "10.1.0.0/16"), null);
        assertThat(describe(policy.check("secret.example.com", 443))).isEqualTo("deny secret.example.com");
        assertThat(describe(policy.check("10.1.2.3", 443))).isEqualTo("deny 10.1.0.0/16");
        assertThat(describe(policy.check("10.2.2.3", 443))).isEqualTo("allowed");
        assertThat(describe(policy.checkResolved("ok.example.com", inet("10.1.9.9"), 443)))
                .isEqualTo("deny 10.1.0.0/16");
    }

    @Test
    void denyIsCheckedBeforePorts() {
        assertThat(ALLOW_LIST.check("10.1.1.1", 25))
                .isEqualTo(new Verdict.Denied("deny 10.0.0.0/8", "10.1.1.1 matches deny entry 10.0.0.0/8"));
    }

    @Test
    void reasonsNameTheTargetAndTheRule() {
        assertThat(ALLOW_LIST.check("www.example.com", 25))
                .isEqualTo(new Verdict.Denied("port", "port 25 is not in the allowed ports 443,8443"));
        assertThat(ALLOW_LIST.check("example.org", 443))
                .isEqualTo(new Verdict.Denied("not in allow-list", "example.org is not in the egress allow-list"));
        assertThat(DENY_LIST.checkResolved("metadata.attacker.org", inet("169.254.169.254"), 80))
                .isEqualTo(new Verdict.Denied(
                        "deny 169.254.169.254",
                        "metadata.attacker.org resolved"
                                + " to 169.254.169.254, which matches deny entry 169.254.169.254"));
        assertThat(ALLOW_LIST.checkResolved("cdn.other.net", inet("::ffff:198.51.100.7"), 443))
                .isEqualTo(new Verdict.Denied(
                        "not in allow-list",
                        "cdn.other.net resolved to" + " 198.51.100.7, which is not in the egress allow-list"));
    }

    @Test
    void rulesUseTheNormalizedEntry() {
        EgressPolicy policy = EgressPolicy.of(
                Mode.DENY_LIST, List.of(), List.of("*.Metadata.Example.", "[FD00::0:1]:8080", "10.1.2.3/8"), null);
        assertThat(describe(policy.check("a.metadata.example.com", 80))).isEqualTo("allowed");
        assertThat(describe(policy.check("a.metadata.example", 80))).isEqualTo("deny .metadata.example");
        assertThat(describe(policy.check("fd00::1", 8080))).isEqualTo("deny [fd00::1]:8080");
        assertThat(describe(policy.check("10.200.0.1", 80))).isEqualTo("deny 10.0.0.0/8");
    }

    @Test
    void openAllowsEverything() {
        assertThat(EgressPolicy.OPEN.check("169.254.169.254", 80)).isEqualTo(new Verdict.Allowed());
        assertThat(EgressPolicy.OPEN.checkResolved("x.org", inet("10.0.0.1"), 25))
                .isEqualTo(new Verdict.Allowed());
        assertThat(EgressPolicy.OPEN.mode()).isEqualTo(Mode.DENY_LIST);
        assertThat(EgressPolicy.OPEN).hasToString("EgressPolicy[DENY_LIST, allow=, deny=, ports=any]");
    }

    @Test
    void emptyAllowListDeniesEverything() {
        EgressPolicy none = EgressPolicy.of(Mode.ALLOW_LIST, List.of(), List.of(), null);
        assertThat(describe(none.check("example.com", 443))).isEqualTo("not in allow-list");
        assertThat(describe(none.checkResolved("example.com", inet("1.1.1.1"), 443)))
                .isEqualTo("not in allow-list");
    }

    @Test
    void portsAloneRestrictDenyListMode() {
        EgressPolicy policy = EgressPolicy.of(Mode.DENY_LIST, List.of(), List.of(), List.of(8443, 443, 443));
        assertThat(describe(policy.check("example.com", 443))).isEqualTo("allowed");
        assertThat(policy.check("example.com", 80))
                .isEqualTo(new Verdict.Denied("port", "port 80 is not in the allowed ports 8443,443"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "allow | .example.com, bad..name  | 1 | empty label",
                "deny  | 10.0.0.0/8, , 10.0.0.0/33 | 2 | prefix length must be 0..32",
                "deny  | foo*.com                  | 0 | '*' is allowed only as the whole entry or as a leading \"*.\"",
            })
    void badEntriesSayWhichListAndWhere(String list, String entries, int index, String reason) {
        List<String> parsed = List.of(entries.split(",", -1));
        List<String> allow = list.equals("allow") ? parsed : List.of("example.com");
        List<String> deny = list.equals("deny") ? parsed : List.of();
        assertThatThrownBy(() -> EgressPolicy.of(Mode.ALLOW_LIST, allow, deny, null))
                .isInstanceOfSatisfying(ListEntryException.class, e -> {
                    assertThat(e.list()).isEqualTo(list);
                    assertThat(e.index()).isEqualTo(index);
                    assertThat(e.cause().cause().reason()).isEqualTo(reason);
                    assertThat(e).hasMessage(e.cause().getMessage());
                });
    }

    @Test
    void preParsedListsLeaveErrorsToTheCaller() {
        NoProxyList allow = NoProxyList.parse(List.of("example.com"));
        EgressPolicy policy = EgressPolicy.of(Mode.ALLOW_LIST, allow, NoProxyList.EMPTY, null);
        assertThat(describe(policy.check("example.com", 443))).isEqualTo("allowed");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "allow entries in deny-list mode | DENY_LIST  | example.com | ''         | allow entries only apply in ALLOW_LIST mode; in DENY_LIST mode everything not denied is allowed",
                "no ports                        | ALLOW_LIST | example.com | ''         | allowed ports must not be empty; leave them unset to allow any port",
                "port zero                       | ALLOW_LIST | example.com | 443,0      | allowed port 0 is not in 1..65535",
                "port too big                    | ALLOW_LIST | example.com | 65536      | allowed port 65536 is not in 1..65535",
            })
    void rejectsContradictoryConfig(String rule, Mode mode, String allow, String ports, String message) {
        List<Integer> portList = ports.isEmpty()
                ? List.of()
                : List.of(ports.split(",")).stream().map(Integer::valueOf).toList();
        assertThatThrownBy(() -> EgressPolicy.of(mode, List.of(allow), List.of(), portList))
                .as(rule)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    private static InetAddress inet(String literal) {
        return CidrTest.inet(literal);
    }

    private static String describe(Verdict verdict) {
        return verdict instanceof Verdict.Denied denied ? denied.rule() : "allowed";
    }
}
