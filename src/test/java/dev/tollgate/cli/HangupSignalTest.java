package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real SIGHUP to this JVM reaches the action. Without the handler the JVM's own would start a
 * shutdown, so the signal is only sent once the handler is in place (onHangup returned).
 */
class HangupSignalTest {
    @Test
    void aSighupRunsTheAction() throws Exception {
        CountDownLatch hangups = new CountDownLatch(1);
        HangupSignal.onHangup(hangups::countDown);
        long self = ProcessHandle.current().pid();
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(self))
                .inheritIO()
                .start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
        assertThat(hangups.await(10, TimeUnit.SECONDS)).as("the action ran").isTrue();
    }
}
