package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Graceful shutdown: stop accepting, let the exchange in flight finish, then close. */
class ShutdownIT {

    @Test
    void inFlightExchangeFinishesAndNewConnectionsAreRefused() throws Exception {
        try (TestOrigin origin = new TestOrigin()) {
            ProxyHarness proxy = ProxyHarness.start();
            CompletableFuture<HttpResponse<String>> slow = proxy.client()
                    .sendAsync(
                            HttpRequest.newBuilder(URI.create(origin.url("/slow/1500")))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            await("the slow request at the origin")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> origin.requests.get() == 1);
            long t0 = System.nanoTime();
            proxy.server().stop(Duration.ofSeconds(10));
            long stoppedAfterMs = (System.nanoTime() - t0) / 1_000_000;

            HttpResponse<String> r = slow.get();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("slow done");
            assertThat(stoppedAfterMs).isLessThan(9_000); // it stopped once the exchange was done, not at the deadline
            assertThatThrownBy(() -> new ProxySocket(proxy.port())).isInstanceOf(ConnectException.class);
        }
    }
}
