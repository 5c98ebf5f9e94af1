package dev.tollgate.flow.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.flow.CapturedBody;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BodyViewTest {
    private static final ObjectMapper M = new ObjectMapper();

    private static ObjectNode view(byte[] head, long size, String type) {
        return BodyView.of(new CapturedBody(head, size), type, M);
    }

    @Test
    void jsonIsPrettyPrinted() {
        byte[] b = "{\"a\":[1,2]}".getBytes(StandardCharsets.UTF_8);
        ObjectNode v = view(b, b.length, "application/json; charset=utf-8");
        assertThat(v.get("kind").asText()).isEqualTo("json");
        assertThat(v.get("text").asText()).isEqualTo("{\n  \"a\" : [ 1, 2 ]\n}");
    }

    @Test
    void aCutJsonBodyIsShownAsTextWithTheCutMultiByteCharacterDropped() {
        byte[] full = "{\"name\":\"Zoë\"}".getBytes(StandardCharsets.UTF_8);
        byte[] head = Arrays.copyOf(full, 12); // ends inside the two bytes of ë
        ObjectNode v = view(head, full.length, "application/json");
        assertThat(v.get("kind").asText()).isEqualTo("text");
        assertThat(v.get("text").asText()).isEqualTo("{\"name\":\"Zo");
        assertThat(v.get("truncated").asBoolean()).isTrue();
    }

    @Test
    void binaryIsItsSizeAndAHexHead() {
        byte[] b = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
        ObjectNode v = view(b, 5000, "image/png");
        assertThat(v.get("kind").asText()).isEqualTo("binary");
        assertThat(v.get("hex").asText()).isEqualTo("89 50 4e 47 00 01 02");
        assertThat(v.get("size").asLong()).isEqualTo(5000);
    }

    @Test
    void textWithoutATypeIsText() {
        ObjectNode v = view("hello\nworld".getBytes(StandardCharsets.UTF_8), 11, null);
        assertThat(v.get("kind").asText()).isEqualTo("text");
    }
}
