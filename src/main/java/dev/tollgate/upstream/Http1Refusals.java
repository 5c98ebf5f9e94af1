package dev.tollgate.upstream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Locale;

/**
 * The origins that refused a TLS handshake offering HTTP/1.1 alone and took one offering h2: an
 * HTTP/1.1 client's exchanges with them go over h2 streams from then on, without a refused
 * handshake first each time. Shared by every event loop; bounded, and forgotten after an hour
 * in case the origin learns HTTP/1.1 again.
 */
final class Http1Refusals {
    private final Cache<UpstreamKey, Boolean> h2Only = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofHours(1))
            .build();

    /** The key to lease with: an HTTP/1.1 client's key for an origin known to speak h2 only offers h2. */
    UpstreamKey effective(UpstreamKey key) {
        if (key.offer() != UpstreamKey.Offer.HTTP_1_1_FIRST) {
            return key;
        }
        UpstreamKey h2 = key.withOffer(UpstreamKey.Offer.H2);
        return h2Only.getIfPresent(h2) != null ? h2 : key;
    }

    /** Whether a failed handshake of {@code key} is worth one more with h2 offered. */
    static boolean worthH2(UpstreamKey key, Throwable failure) {
        return key.offer() == UpstreamKey.Offer.HTTP_1_1_FIRST && key.tls() && refusedAlpn(failure);
    }

    /** The origin ended the handshake because none of the offered protocols suit it (RFC 7301, alert 120). */
    private static boolean refusedAlpn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("no_application_protocol") || m.contains("no application protocol")) {
                return true;
            }
        }
        return false;
    }

    void remember(UpstreamKey h2Key) {
        h2Only.put(h2Key, Boolean.TRUE);
    }
}
