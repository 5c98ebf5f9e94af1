package dev.tollgate.upstream;

import dev.tollgate.policy.IpLiteral;
import java.util.List;
import java.util.Locale;

/**
 * Recognises a name that only resolves inside a cluster or a private zone, sent to the proxy
 * because noProxy lacks it (the classic AKS mistake), and names the noProxy entry that would
 * have kept it away. Asked only once the name failed to resolve on the proxy host: a private
 * zone that the proxy's VNet does resolve is an ordinary destination.
 *
 * <p>The rules, in order (README, "Advice for in-cluster names"):
 * <ul>
 *   <li>a dotless name ({@code konnectivity}): the name itself. Clients match noProxy against
 *       the name as written, before the pod's search domains ({@code <ns>.svc.cluster.local})
 *       expand it, so {@code .svc} does not cover it.
 *   <li>{@code *.svc}: {@code .svc}
 *   <li>{@code *.cluster.local}, {@code *.svc.cluster.local} included: {@code .cluster.local}
 *   <li>{@code *.internal.cloudapp.net} (Azure's VNet DNS): {@code .internal.cloudapp.net}
 *   <li>{@code *.internal}: {@code .internal}
 *   <li>{@code *.privatelink.<zone>} (Azure Private Link): {@code .privatelink.<zone>}
 * </ul>
 * An IP literal, {@code localhost} and any other name get no advice.
 */
public final class InClusterNames {
    /**
     * @param rule which rule matched: one of a fixed set ({@link #RULES}), fit for a metric label
     * @param entry the noProxy entry to add: for a dotless name or a Private Link zone it holds
     *     the name, so it is for the operator's eyes, never for a label
     */
    public record Advice(String rule, String entry) {
        /** What the client and the flow are told. */
        public String text() {
            return "it looks like an in-cluster or private name: add " + entry
                    + " to noProxy (and to the cluster's httpProxyConfig)";
        }
    }

    public static final String DOTLESS = "dotless";
    public static final String PRIVATELINK = ".privatelink.*";
    private static final List<String> SUFFIXES =
            List.of(".svc", ".cluster.local", ".internal.cloudapp.net", ".internal");
    public static final List<String> RULES =
            List.of(DOTLESS, ".svc", ".cluster.local", ".internal.cloudapp.net", ".internal", PRIVATELINK);

    private InClusterNames() {}

    /** The advice for a host that did not resolve, or null when it does not look in-cluster. */
    public static Advice of(String host) {
        if (host == null || host.isEmpty() || IpLiteral.parse(host) != null) {
            return null;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.isEmpty() || h.equals("localhost")) {
            return null;
        }
        if (h.indexOf('.') < 0) {
            return new Advice(DOTLESS, h);
        }
        for (String suffix : SUFFIXES) {
            if (h.endsWith(suffix) && h.length() > suffix.length()) {
                return new Advice(suffix, suffix);
            }
        }
        int link = h.indexOf(".privatelink.");
        if (link >= 0 && h.length() > link + ".privatelink.".length()) {
            return new Advice(PRIVATELINK, h.substring(link));
        }
        if (h.startsWith("privatelink.")) {
            return new Advice(PRIVATELINK, "." + h);
        }
        return null;
    }
}
