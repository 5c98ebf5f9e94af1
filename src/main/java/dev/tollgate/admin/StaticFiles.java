package dev.tollgate.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The viewer's page, script and styles, read once from the jar (no CDN: works on an offline VM). */
final class StaticFiles {
    private static final String ROOT = "/dev/tollgate/admin/web/";
    private final Map<String, byte[]> files = new HashMap<>();

    StaticFiles(String... names) {
        for (String name : names) {
            try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + name)) {
                if (in == null) {
                    throw new IllegalStateException("the jar lacks " + ROOT + name);
                }
                files.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    String text(String name) {
        return new String(files.get(name), StandardCharsets.UTF_8);
    }

    Endpoint serve(String name) {
        byte[] body = files.get(name);
        String type = name.endsWith(".js")
                ? "text/javascript; charset=utf-8"
                : name.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
        return x -> x.send(200, type, body);
    }
}
