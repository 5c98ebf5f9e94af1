package dev.tollgate.aks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The AKS cluster's HTTP proxy configuration: the JSON file given to
 * {@code az aks create|update --http-proxy-config FILE}. Field names are the ones AKS reads.
 *
 * @param httpProxy URL of the proxy for http:// requests (http:// only)
 * @param httpsProxy URL of the proxy for https:// requests (http:// or https://)
 * @param noProxy destinations that bypass the proxy (AKS noProxy syntax)
 * @param trustedCa base64 of the PEM certificate(s) that nodes and pods are made to trust, or null
 */
public record AksProxyConfig(String httpProxy, String httpsProxy, List<String> noProxy, String trustedCa) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public AksProxyConfig {
        noProxy = List.copyOf(noProxy);
    }

    /** Pretty-printed JSON, fields in the order the AKS docs show them, with a final newline. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("httpProxy", httpProxy);
        root.put("httpsProxy", httpsProxy);
        ArrayNode list = root.putArray("noProxy");
        noProxy.forEach(list::add);
        if (trustedCa != null) {
            root.put("trustedCa", trustedCa);
        }
        try {
            return JSON.writeValueAsString(root) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a tree of strings as JSON", e);
        }
    }
}
