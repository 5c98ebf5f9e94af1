package dev.tollgate.upstream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared HTTP/2 origin connections of one event loop (only that loop touches it), keyed
 * like the HTTP/1.1 pool: target, parent proxy and verified server name.
 */
final class H2Origins {
    private final Map<UpstreamKey, List<H2Origin>> byKey = new HashMap<>();

    /** A connection with room for another stream, or null. */
    H2Origin find(UpstreamKey key) {
        List<H2Origin> list = byKey.get(key);
        if (list == null) {
            return null;
        }
        for (H2Origin o : list) {
            if (o.usable()) {
                return o;
            }
        }
        return null;
    }

    void add(H2Origin origin) {
        byKey.computeIfAbsent(origin.key(), k -> new ArrayList<>(1)).add(origin);
        origin.channel().closeFuture().addListener(f -> remove(origin));
    }

    private void remove(H2Origin origin) {
        List<H2Origin> list = byKey.get(origin.key());
        if (list != null && list.remove(origin) && list.isEmpty()) {
            byKey.remove(origin.key());
        }
    }
}
