package dev.tollgate.config;

/** A bad configuration value; the message names the key, the value and the reason. */
public final class ConfigException extends Exception {
    private final String key;

    public ConfigException(String message) {
        this(null, message);
    }

    /** @param key the config key at fault ({@code noProxy[3]}, {@code timeouts.connect}), or null */
    public ConfigException(String key, String message) {
        super(key == null ? message : key + ": " + message);
        this.key = key;
    }

    /** The key at fault, or null when the problem is the file as a whole. */
    public String key() {
        return key;
    }

    static ConfigException bad(String key, Object value, String reason) {
        return new ConfigException(key, "\"" + value + "\" " + reason);
    }
}
