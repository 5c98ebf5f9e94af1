package dev.tollgate.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** Builds the {@link ProxyConfig}: defaults < YAML file < environment < command-line flags. */
public final class ConfigLoader {
    public static final Path DEFAULT_FILE = Path.of("config", "tollgate.yaml");

    private ConfigLoader() {}

    /**
     * @param file the YAML file; null means {@link #DEFAULT_FILE} when it exists
     * @param flags overrides from the command line, keyed by config key name ({@code noProxy})
     */
    public static ProxyConfig load(Path file, Map<String, String> env, Map<String, Object> flags)
            throws ConfigException {
        Map<ConfigKey, Object> merged = new EnumMap<>(ConfigKey.class);
        Path yaml = file != null ? file : (Files.isRegularFile(DEFAULT_FILE) ? DEFAULT_FILE : null);
        if (yaml != null) {
            String problem = ReadableFile.problem(yaml);
            if (problem != null) {
                throw new ConfigException("config file " + yaml + " " + problem);
            }
            merged.putAll(YamlLayer.read(yaml));
        }
        Map<ConfigKey, Object> fromEnv;
        try {
            fromEnv = EnvLayer.read(env);
        } catch (ConfigException e) {
            throw EnvLayer.named(e);
        }
        merged.putAll(fromEnv);
        for (Map.Entry<String, Object> flag : flags.entrySet()) {
            ConfigKey key = ConfigKey.byName(flag.getKey());
            if (key == null) {
                throw new IllegalArgumentException("no config key " + flag.getKey());
            }
            if (flag.getValue() != null) {
                merged.put(key, flag.getValue());
                fromEnv.remove(key);
            }
        }
        try {
            return new ConfigBinder(merged).bind();
        } catch (ConfigException e) {
            ConfigKey at = e.key() == null ? null : ConfigKey.owning(e.key());
            throw at != null && fromEnv.containsKey(at) ? EnvLayer.named(e) : e;
        }
    }

    /** Defaults only, as if no file, environment or flag were given. */
    public static ProxyConfig defaults() {
        try {
            return new ConfigBinder(new EnumMap<>(ConfigKey.class)).bind();
        } catch (ConfigException e) {
            throw new IllegalStateException("built-in defaults are invalid", e);
        }
    }
}
