package dev.tollgate.cli;

import dev.tollgate.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps {@code run}'s flags onto config keys (the top layer of the config), and a config error
 * back onto the flag that caused it, so the message names what the operator typed.
 */
final class FlagMap {
    private FlagMap() {}

    static Map<String, Object> of(RunCommand c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("listen", c.listen);
        // --aks-config supplies the list itself (RunCommand refuses both at once); a List keeps
        // entries apart exactly as the JSON array has them.
        m.put("noProxy", c.noProxy != null ? c.noProxy : c.aksNoProxy);
        m.put("allowClients", c.allowClients);
        m.put("parentProxy", c.parentProxy);
        m.put("flowLog", c.flowLog);
        m.put("intercept", c.intercept);
        m.put("passthrough", c.passthrough);
        m.put("interceptClients", c.interceptClients);
        m.put("hosts", c.hosts);
        m.put("ca", c.caOptions.ca);
        m.put("caCert", c.caOptions.caCert);
        m.put("caKey", c.caOptions.caKey);
        m.put("caPasswordFile", c.caOptions.caPasswordFile);
        m.put("certsDir", c.certsDir);
        m.put("upstreamTrust", c.upstreamTrust);
        m.put("insecureUpstream", c.insecureUpstream);
        m.put("tls.keylog", c.tlsKeylog);
        m.put("proxyNames", c.proxyNames);
        m.put("proxyAuthFile", c.proxyAuthFile);
        m.put("admin.listen", c.admin);
        m.put("transparent.listen", c.transparent);
        return m;
    }

    private static final Map<String, String> FLAG_OF = Map.ofEntries(
            Map.entry("listen", "--listen"),
            Map.entry("noProxy", "--no-proxy"),
            Map.entry("allowClients", "--allow-client"),
            Map.entry("parentProxy", "--parent-proxy"),
            Map.entry("flowLog", "--flow-log"),
            Map.entry("intercept", "--intercept"),
            Map.entry("passthrough", "--passthrough"),
            Map.entry("interceptClients", "--intercept-clients"),
            Map.entry("hosts", "--hosts"),
            Map.entry("insecureUpstream", "--insecure-upstream"),
            Map.entry("tls.keylog", "--tls-keylog"),
            Map.entry("ca", "--ca"),
            Map.entry("caCert", "--ca-cert"),
            Map.entry("caKey", "--ca-key"),
            Map.entry("caPasswordFile", "--ca-password-file"),
            Map.entry("certsDir", "--certs-dir"),
            Map.entry("upstreamTrust", "--upstream-trust"),
            Map.entry("proxyAuthFile", "--proxy-auth-file"),
            Map.entry("admin.listen", "--admin"),
            Map.entry("transparent.listen", "--transparent"));

    /** The error message, naming the flag instead of the config key when a flag set it. */
    static String describe(ConfigException e, RunCommand c) {
        String key = e.key();
        if (key == null) {
            return e.getMessage();
        }
        String root = FLAG_OF.containsKey(key) ? key : key.split("[\\[.]", 2)[0];
        if (root.equals("noProxy") && c.noProxy == null && c.aksNoProxy != null) {
            return "invalid value for option '--aks-config': " + c.aksConfig + ": " + e.getMessage();
        }
        String flag = FLAG_OF.get(root);
        if (flag != null && of(c).get(root) != null) {
            return "invalid value for option '" + flag + "': "
                    + key.substring(root.length()).replaceFirst("^\\.", "") + (key.length() > root.length() ? ": " : "")
                    + e.getMessage().substring(key.length() + 2);
        }
        return e.getMessage();
    }
}
