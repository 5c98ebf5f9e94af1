package dev.tollgate.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which destinations may leave through the proxy: the reason operators put a proxy in front of a
 * cluster.
 *
 * <p>Entries use the {@code noProxy} syntax of {@link HostPattern} (names, IPs, CIDRs, optional
 * port). Checks run in this order:
 *
 * <ol>
 *   <li>A matching deny entry denies, whatever the mode: deny always wins.
 *   <li>A port outside the allowed ports, when ports are restricted, denies.
 *   <li>{@link Mode#DENY_LIST} allows the rest; {@link Mode#ALLOW_LIST} allows only targets that
 *       match an allow entry.
 * </ol>
 *
 * <p>{@link #check} sees only what the client named, and a CIDR never matches a name. So once the
 * name is resolved, call {@link #checkResolved} with the address about to be dialled: a name that
 * resolves into a denied block (say {@code 169.254.169.254/32}, cloud metadata) is then denied
 * however innocent the name, and in allow-list mode an address is allowed by its name's allow
 * entry or by an allow IP/CIDR entry of its own. {@link #allowedOf} does that for every address
 * a name resolved to. Like the rest of the package, this class never resolves a name itself.
 *
 * <p>Verdict reasons quote the target as the client wrote it; escape them before putting them in
 * HTML.
 */
public final class EgressPolicy {
    public enum Mode {
        ALLOW_LIST,
        DENY_LIST
    }

    /** Deny-list mode with empty lists: everything allowed. */
    public static final EgressPolicy OPEN =
            new EgressPolicy(Mode.DENY_LIST, NoProxyList.EMPTY, NoProxyList.EMPTY, null);

    private static final Verdict ALLOWED = new Verdict.Allowed();
    private static final String NOT_ALLOWED = "not in allow-list";

    private final Mode mode;
    private final NoProxyList allow;
    private final NoProxyList deny;
    private final PortSet ports; // null: any port

    private EgressPolicy(Mode mode, NoProxyList allow, NoProxyList deny, PortSet ports) {
        this.mode = mode;
        this.allow = allow;
        this.deny = deny;
        this.ports = ports;
    }

    /**
     * Parses both lists with {@link NoProxyList#parse(List)}; a bad entry is a {@link
     * ListEntryException} saying which list and where.
     *
     * @param allow entries that may be reached in {@link Mode#ALLOW_LIST} mode
     * @param deny entries that may never be reached
     * @param allowedPorts ports such as 443 and 8443 that targets must use; null for any port
     */
    public static EgressPolicy of(Mode mode, List<String> allow, List<String> deny, List<Integer> allowedPorts) {
        return of(mode, parse("allow", allow), parse("deny", deny), allowedPorts);
    }

    /**
     * As {@link #of(Mode, List, List, List)} for lists the caller already parsed, e.g. to report
     * {@link IndexedPatternException}s under its own config key names.
     */
    public static EgressPolicy of(Mode mode, NoProxyList allow, NoProxyList deny, List<Integer> allowedPorts) {
        Objects.requireNonNull(mode, "mode");
        if (mode == Mode.DENY_LIST && !allow.isEmpty()) {
            // Silently ignoring them would leave the operator believing egress is restricted.
            throw new IllegalArgumentException(
                    "allow entries only apply in ALLOW_LIST mode; in DENY_LIST mode everything not denied"
                            + " is allowed");
        }
        PortSet ports = allowedPorts == null ? null : PortSet.of(allowedPorts);
        return new EgressPolicy(mode, allow, deny, ports);
    }

    private static NoProxyList parse(String list, List<String> entries) {
        try {
            return NoProxyList.parse(entries);
        } catch (IndexedPatternException e) {
            throw new ListEntryException(list, e);
        }
    }

    /** Decision for a target as the client named it (name or IP literal). */
    public Verdict check(String host, int port) {
        HostPattern denied = deny.firstMatch(host, port);
        if (denied != null) {
            return deniedBy(denied, host + " matches deny entry " + denied);
        }
        Verdict portVerdict = checkPort(port);
        if (portVerdict != null) {
            return portVerdict;
        }
        if (mode == Mode.DENY_LIST || allow.matches(host, port)) {
            return ALLOWED;
        }
        return new Verdict.Denied(NOT_ALLOWED, host + " is not in the egress allow-list");
    }

    /**
     * Decision again for an address the name resolved to (so a name resolving into a denied CIDR
     * such as 169.254.169.254/32 is denied too).
     */
    public Verdict checkResolved(String host, InetAddress address, int port) {
        Verdict byName = check(host, port);
        if (byName instanceof Verdict.Denied denied && !denied.rule().equals(NOT_ALLOWED)) {
            return byName;
        }
        String literal = IpLiteral.format(IpLiteral.canonical(address.getAddress()));
        String resolved = host + " resolved to " + literal;
        HostPattern denyEntry = deny.firstMatch(literal, port);
        if (denyEntry != null) {
            return deniedBy(denyEntry, resolved + ", which matches deny entry " + denyEntry);
        }
        if (byName instanceof Verdict.Allowed || allow.matches(literal, port)) {
            return ALLOWED;
        }
        return new Verdict.Denied(NOT_ALLOWED, resolved + ", which is not in the egress allow-list");
    }

    /**
     * {@link #checkResolved} for every address {@code host} resolved to: the ones that may be
     * dialled, in the resolver's order, or, when none may, the denial of the first. A name that
     * resolves to a mix is dialled at its allowed addresses only, so a denied one (the cloud
     * metadata service, say) is never reached through an innocent-looking name.
     *
     * @throws IllegalArgumentException when {@code addresses} is empty: there is nothing to decide
     */
    public AddressVerdict allowedOf(String host, int port, List<InetAddress> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no resolved addresses to check for " + IpLiteral.authority(host, port));
        }
        List<InetAddress> allowed = new ArrayList<>(addresses.size());
        Verdict.Denied first = null;
        for (InetAddress address : addresses) {
            if (checkResolved(host, address, port) instanceof Verdict.Denied denied) {
                first = first == null ? denied : first;
            } else {
                allowed.add(address);
            }
        }
        return allowed.isEmpty()
                ? new AddressVerdict.Denied(first.rule(), first.reason())
                : new AddressVerdict.Allowed(List.copyOf(allowed));
    }

    private Verdict checkPort(int port) {
        if (ports == null || ports.contains(port)) {
            return null;
        }
        return new Verdict.Denied("port", "port " + port + " is not in the allowed ports " + ports);
    }

    private static Verdict deniedBy(HostPattern entry, String reason) {
        return new Verdict.Denied("deny " + entry, reason);
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public String toString() {
        return "EgressPolicy[" + mode + ", allow=" + allow + ", deny=" + deny + ", ports="
                + (ports == null ? "any" : ports) + "]";
    }

    /** What {@link #check} decided; {@code rule} names the entry, as in "deny 10.0.0.0/8". */
    public sealed interface Verdict {
        record Allowed() implements Verdict {}

        record Denied(String rule, String reason) implements Verdict {}
    }

    /** What {@link #allowedOf} decided for the addresses a name resolved to. */
    public sealed interface AddressVerdict {
        /** @param addresses the ones that may be dialled, never empty */
        record Allowed(List<InetAddress> addresses) implements AddressVerdict {}

        /** Every address was denied; {@code rule} and {@code reason} are those of the first. */
        record Denied(String rule, String reason) implements AddressVerdict {}
    }

    /**
     * A bad entry in the allow or deny list. Like {@link IndexedPatternException}, whose {@link
     * #cause()} it carries, the message leaves out the position: the config layer formats {@code
     * egress.deny[2]: <message>} from {@link #list()} and {@link #index()}.
     */
    public static final class ListEntryException extends IllegalArgumentException {
        private final String list;

        ListEntryException(String list, IndexedPatternException cause) {
            super(cause.getMessage(), cause);
            this.list = list;
        }

        /** "allow" or "deny". */
        public String list() {
            return list;
        }

        /** Zero-based position of the bad entry in that list. */
        public int index() {
            return cause().index();
        }

        public IndexedPatternException cause() {
            return (IndexedPatternException) getCause();
        }
    }
}
