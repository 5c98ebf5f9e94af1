package dev.tollgate.server;

import dev.tollgate.policy.IpLiteral;
import dev.tollgate.route.RouteDecision;
import dev.tollgate.route.Router;
import dev.tollgate.route.Target;
import dev.tollgate.upstream.HostResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The rule for the name a redirected client gives (the Host header of plain HTTP) against the
 * address it actually connected to: the proxy connects only to that original destination and
 * never re-resolves the name to pick where to go; the name only narrows what the address allows.
 * It must resolve (hosts map, then DNS) to the original destination, or be that address itself;
 * otherwise the request is refused with 409, as Squid's {@code host_verify_strict} does, so that
 * a client cannot borrow an allowed name for an address it did not resolve for it (CVE-2009-0801).
 * A name the router denies is refused with its own status, whatever the address allowed.
 */
final class RedirectedName {
    private final Supplier<Router> router;
    private final HostResolver resolver;

    RedirectedName(Supplier<Router> router, HostResolver resolver) {
        this.router = router;
        this.resolver = resolver;
    }

    /** Why the request may not go on (status and reason), or null when it may. */
    record Refusal(int status, String reason) {}

    /**
     * Completes on {@code executor} with null when {@code name} may be used for {@code destination}.
     *
     * @param source where the name came from, for the reason: {@code Host header}, {@code TLS server name}
     */
    Future<Refusal> check(
            String source, InetAddress client, Target name, InetAddress destination, EventExecutor executor) {
        Promise<Refusal> verdict = executor.newPromise();
        if (router.get().decideConnect(client, name) instanceof RouteDecision.Deny deny) {
            return verdict.setSuccess(new Refusal(deny.status(), deny.reason() + " (by the " + source + ")"));
        }
        byte[] literal = IpLiteral.parse(name.host());
        if (literal != null) {
            return verdict.setSuccess(
                    Arrays.equals(literal, destination.getAddress())
                            ? null
                            : mismatch(source, name, destination, "is another address"));
        }
        resolver.resolve(name.host(), executor).addListener((Future<InetAddress[]> f) -> {
            if (!f.isSuccess()) {
                verdict.setSuccess(mismatch(
                        source,
                        name,
                        destination,
                        "does not resolve (" + f.cause().getMessage() + ")"));
            } else if (Arrays.asList(f.getNow()).contains(destination)) {
                verdict.setSuccess(null);
            } else {
                verdict.setSuccess(mismatch(source, name, destination, "resolves to " + addresses(f.getNow())));
            }
        });
        return verdict;
    }

    private static Refusal mismatch(String source, Target name, InetAddress destination, String why) {
        return new Refusal(
                409,
                source + " " + name.host() + " " + why + ", not to the original destination "
                        + destination.getHostAddress() + ": a redirected client may only name a host "
                        + "at the address it connected to");
    }

    private static String addresses(InetAddress[] all) {
        return Arrays.stream(all).map(InetAddress::getHostAddress).toList().toString();
    }
}
