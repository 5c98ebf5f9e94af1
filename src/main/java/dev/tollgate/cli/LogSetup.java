package dev.tollgate.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.spi.ContextAware;
import dev.tollgate.config.FlowFormat;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Chooses the flow-log format before anything logs. The logback configuration picks its flow
 * appender from the {@code tollgate.flowLog} property, so switching format is a property and
 * a reload, and operators can still replace the whole file with {@code -Dlogback.configurationFile}.
 */
final class LogSetup {
    static final String PROPERTY = "tollgate.flowLog";

    private LogSetup() {}

    static void apply(FlowFormat format) {
        System.setProperty(PROPERTY, format.name().toLowerCase(Locale.ROOT));
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.reset();
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                System.err.println("warning: logging configuration failed: " + e.getMessage());
            }
        }
    }

    /**
     * A logging component that cannot start says so on stderr as well as in logback's status:
     * the built-in configuration silences the status, and a flow appender that does not start
     * would lose every flow without a word.
     */
    static void refuse(ContextAware component, String why) {
        component.addError(why);
        System.err.println("error: logging: " + why);
    }

    /** Flushes the asynchronous flow appender, so the last flows are not lost at exit. */
    static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
