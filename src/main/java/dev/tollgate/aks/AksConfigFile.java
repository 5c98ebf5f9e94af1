package dev.tollgate.aks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code noProxy} list back from an AKS HTTP proxy config file, so that one list
 * drives both the cluster ({@code az aks ... --http-proxy-config FILE}) and the proxy
 * ({@code tollgate run --aks-config FILE}). Only {@code noProxy} is read; the other fields are
 * the cluster's business.
 */
public final class AksConfigFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AksConfigFile() {}

    /** A file that cannot be used; the message says why, without the file name. */
    public static final class BadFileException extends Exception {
        BadFileException(String message) {
            super(message);
        }
    }

    /** The entries of {@code noProxy}, in order, as written (an empty array gives an empty list). */
    public static List<String> readNoProxy(Path file) throws BadFileException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new BadFileException("no such file");
        } catch (IOException e) {
            throw new BadFileException("cannot read it: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BadFileException("not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null
                            ? ""
                            : " (line " + e.getLocation().getLineNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new BadFileException("not a JSON object (expected {\"httpProxy\": ..., \"noProxy\": [...], ...})");
        }
        JsonNode list = root.get("noProxy");
        if (list == null || list.isNull()) {
            throw new BadFileException("has no \"noProxy\" field");
        }
        if (!list.isArray()) {
            throw new BadFileException("\"noProxy\" is not a JSON array of strings");
        }
        List<String> entries = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            if (!entry.isTextual()) {
                throw new BadFileException("noProxy[" + i + "] is " + entry + ", not a string");
            }
            entries.add(entry.asText());
        }
        return List.copyOf(entries);
    }
}
