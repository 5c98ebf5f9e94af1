package dev.tollgate.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code TOLLGATE_*} environment variables; lists are comma-separated, the host map is
 * {@code name=address,name=address}.
 */
final class EnvLayer {
    private EnvLayer() {}

    static Map<ConfigKey, Object> read(Map<String, String> env) throws ConfigException {
        Map<ConfigKey, Object> out = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKey.values()) {
            String value = env.get(key.envName());
            if (value == null) {
                continue;
            }
            out.put(key, key.shape == ConfigKey.Shape.MAP ? hostMap(key, value) : value);
        }
        return out;
    }

    /**
     * The same error, naming the variable the value came from ({@code TOLLGATE_FLOW_LOG}, not
     * {@code flowLog}): that is what the operator has to find and fix.
     */
    static ConfigException named(ConfigException e) {
        ConfigKey key = ConfigKey.owning(e.key());
        String reason = e.getMessage().substring(e.key().length() + 2);
        return new ConfigException(key.envName() + e.key().substring(key.name.length()), reason);
    }

    static Map<String, String> hostMap(ConfigKey key, String text) throws ConfigException {
        Map<String, String> map = new LinkedHashMap<>();
        for (String item : text.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw ConfigException.bad(key.name, item.trim(), "is not name=address");
            }
            map.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
        }
        return map;
    }
}
