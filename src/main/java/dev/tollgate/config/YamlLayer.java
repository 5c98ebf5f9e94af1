package dev.tollgate.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads the YAML config file into flat settings ({@code timeouts.connect} → value). */
final class YamlLayer {
    private static final YAMLMapper YAML = new YAMLMapper();

    private YamlLayer() {}

    static Map<ConfigKey, Object> read(Path file) throws ConfigException {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e);
        }
        Map<ConfigKey, Object> out = new LinkedHashMap<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return out; // an empty file is a valid "all defaults"
        }
        if (!root.isObject()) {
            throw new ConfigException(file + ": the top level must be a mapping of keys");
        }
        flatten(file, "", root, out);
        return out;
    }

    private static void flatten(Path file, String prefix, JsonNode node, Map<ConfigKey, Object> out)
            throws ConfigException {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String name = prefix + e.getKey();
            ConfigKey key = ConfigKey.byName(name);
            if (key == null && e.getValue().isObject() && ConfigKey.isSection(name)) {
                flatten(file, name + ".", e.getValue(), out);
                continue;
            }
            if (key == null) {
                throw new ConfigException(
                        file + ": unknown key \"" + name + "\" (known keys: " + ConfigKey.knownNames() + ")");
            }
            Object value = value(key, e.getValue());
            if (value != null) {
                out.put(key, value);
            }
        }
    }

    private static Object value(ConfigKey key, JsonNode v) throws ConfigException {
        if (v.isNull()) {
            return null;
        }
        switch (key.shape) {
            case LIST:
                if (v.isArray()) {
                    List<String> items = new ArrayList<>();
                    for (JsonNode item : v) {
                        requireScalar(key, item);
                        items.add(item.asText());
                    }
                    return items;
                }
                requireScalar(key, v);
                return v.asText();
            case MAP:
                if (!v.isObject()) {
                    throw new ConfigException(key.name, "must be a mapping of name: address");
                }
                Map<String, String> map = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : v.properties()) {
                    requireScalar(key, e.getValue());
                    map.put(e.getKey(), e.getValue().asText());
                }
                return map;
            default:
                requireScalar(key, v);
                return v.asText();
        }
    }

    private static void requireScalar(ConfigKey key, JsonNode v) throws ConfigException {
        if (!v.isValueNode()) {
            throw new ConfigException(
                    key.name,
                    "expected a single value, got " + v.getNodeType().name().toLowerCase(Locale.ROOT));
        }
    }
}
