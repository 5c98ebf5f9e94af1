package dev.tollgate.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.policy.ClientAcl;
import dev.tollgate.policy.EgressPolicy;
import dev.tollgate.policy.NoProxyList;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouterTest {
    private static final Target PARENT = new Target("parent.example", 3128);

    private static Router router(boolean parent, boolean intercept) {
        return new Router(new RoutingPolicy(
                ClientAcl.parse(List.of("10.0.0.0/8", "127.0.0.0/8")),
                NoProxyList.parse(".svc,10.96.0.0/12,bypass.example"),
                parent ? PARENT : null,
                intercept,
                NoProxyList.parse("pinned.example"),
                ClientAcl.parse(List.of("10.1.0.0/16")),
                Set.of(),
                t -> t.port() == 3128 && t.host().equals("127.0.0.1"),
                EgressPolicy.OPEN));
    }

    private static InetAddress ip(String s) throws Exception {
        String[] p = s.split("\\.");
        return InetAddress.getByAddress(new byte[] {
            (byte) Integer.parseInt(p[0]),
            (byte) Integer.parseInt(p[1]),
            (byte) Integer.parseInt(p[2]),
            (byte) Integer.parseInt(p[3])
        });
    }

    @ParameterizedTest(name = "CONNECT {1} from {0}, parent={2}, intercept={3} -> {4}")
    @CsvSource({
        "10.1.2.3,    api.example:443,      false, true,  api.example:443 intercept direct",
        "10.1.2.3,    api.example:443,      true,  true,  api.example:443 intercept via parent.example:3128",
        "10.2.0.1,    api.example:443,      false, true,  api.example:443 tunnel direct",
        "10.1.2.3,    api.example:443,      true,  false, api.example:443 tunnel via parent.example:3128",
        "10.1.2.3,    kube-dns.svc:443,     true,  true,  kube-dns.svc:443 bypass direct",
        "10.1.2.3,    10.100.0.1:443,       true,  true,  10.100.0.1:443 bypass direct",
        "10.1.2.3,    pinned.example:443,   false, true,  pinned.example:443 tunnel direct",
        "10.1.2.3,    notbypass.example:443,true,  true,  notbypass.example:443 intercept via parent.example:3128",
    })
    void connectDecisions(String client, String target, boolean parent, boolean intercept, String expected)
            throws Exception {
        RouteDecision d = router(parent, intercept).decideConnect(ip(client), Target.parseAuthority(target, -1));
        assertThat(d.toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "GET {1} from {0}, parent={2} -> {3}")
    @CsvSource({
        "127.0.0.1, example.com:80,      false, example.com:80 forward direct",
        "127.0.0.1, example.com:80,      true,  example.com:80 forward via parent.example:3128",
        "127.0.0.1, bypass.example:8080, true,  bypass.example:8080 forward direct",
    })
    void forwardDecisions(String client, String target, boolean parent, String expected) throws Exception {
        RouteDecision d = router(parent, true).decideForward(ip(client), Target.parseAuthority(target, -1));
        assertThat(d.toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is denied")
    @CsvSource({"8.8.8.8", "192.168.1.1", "172.16.0.1"})
    void clientsOutsideTheAclAreDeniedFirst(String client) throws Exception {
        RouteDecision d = router(true, true).decideConnect(ip(client), new Target("kube-dns.svc", 443));
        assertThat(d).isInstanceOfSatisfying(RouteDecision.Deny.class, deny -> {
            assertThat(deny.status()).isEqualTo(403);
            assertThat(deny.reason()).contains(client).contains("--allow-client " + client + "/32");
        });
        assertThat(d.mode()).isEqualTo("deny");
    }
}
