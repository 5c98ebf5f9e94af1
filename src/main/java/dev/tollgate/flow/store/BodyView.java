package dev.tollgate.flow.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.flow.CapturedBody;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/** A captured body as the detail pane shows it: JSON pretty-printed, text as text, binary as a hex head. */
final class BodyView {
    private static final int HEX_HEAD = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private BodyView() {}

    static ObjectNode of(CapturedBody body, String contentType, ObjectMapper mapper) {
        ObjectNode n = mapper.createObjectNode();
        n.put("size", body.size());
        n.put("kept", body.head().length);
        n.put("truncated", body.truncated());
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        String text = utf8(body.head());
        if (type.contains("json") && text != null && !body.truncated()) {
            try {
                JsonNode tree = JSON.readTree(text);
                n.put("kind", "json");
                n.put("text", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
                return n;
            } catch (JsonProcessingException notJson) {
                // shown as text below
            }
        }
        if (text != null && (looksTextual(type) || printable(text))) {
            n.put("kind", "text");
            n.put("text", text);
        } else {
            byte[] head = body.head();
            n.put("kind", "binary");
            n.put("hex", HexFormat.ofDelimiter(" ").formatHex(head, 0, Math.min(HEX_HEAD, head.length)));
        }
        return n;
    }

    private static boolean looksTextual(String type) {
        return type.startsWith("text/")
                || type.contains("json")
                || type.contains("xml")
                || type.contains("javascript")
                || type.contains("x-www-form-urlencoded")
                || type.contains("yaml");
    }

    private static boolean printable(String text) {
        return text.chars().limit(512).allMatch(c -> c >= 0x20 || c == '\n' || c == '\r' || c == '\t');
    }

    /** The bytes as UTF-8, or null when they are not (a cut in a multi-byte character counts as UTF-8). */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, trimmed(bytes)))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Drops a multi-byte character cut off by the capture limit. */
    private static int trimmed(byte[] b) {
        int n = b.length;
        for (int i = n - 1; i >= 0 && i >= n - 3; i--) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                return n;
            }
            if (c >= 0xc0) {
                int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
                return i + len > n ? i : n;
            }
        }
        return n;
    }
}
