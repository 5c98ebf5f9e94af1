package dev.tollgate.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HandoffTest {
    @Test
    void aStalledWriterMakesOfferDropAndCountNeverWait() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> written = new CopyOnWriteArrayList<>();
        try (Handoff<Integer> h = new Handoff<>(
                "test-handoff",
                2,
                Duration.ZERO,
                batch -> {
                    writing.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    written.addAll(batch);
                },
                null)) {
            assertThat(h.offer(0)).isTrue();
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue(); // the writer holds item 0
            assertThat(h.offer(1)).isTrue();
            assertThat(h.offer(2)).isTrue();
            assertThat(h.offer(3)).as("queue of 2 full").isFalse();
            assertThat(h.offer(4)).isFalse();
            assertThat(h.dropped()).isEqualTo(2);
            release.countDown();
        }
        assertThat(written).containsExactly(0, 1, 2); // close wrote what was queued
    }

    @Test
    void closeWritesWhatIsQueuedRunsAfterLastAndDropsLaterItems() {
        List<String> written = new CopyOnWriteArrayList<>();
        List<String> closed = new CopyOnWriteArrayList<>();
        Handoff<String> h =
                new Handoff<>("test-handoff", 16, Duration.ofMillis(50), written::addAll, () -> closed.add("x"));
        for (int i = 0; i < 10; i++) {
            assertThat(h.offer("line" + i)).isTrue();
        }
        h.close();
        assertThat(written).hasSize(10).startsWith("line0").endsWith("line9");
        assertThat(closed).containsExactly("x");
        assertThat(h.offer("late")).isFalse();
        assertThat(h.dropped()).isEqualTo(1);
    }

    @Test
    void theDropWarningIsDueAtMostOnceAMinute() {
        try (Handoff<String> h = new Handoff<>("test-handoff", 1, Duration.ZERO, b -> {}, null)) {
            assertThat(h.warningDue()).isTrue();
            assertThat(h.warningDue()).isFalse();
            assertThat(h.warningDue()).isFalse();
        }
    }
}
