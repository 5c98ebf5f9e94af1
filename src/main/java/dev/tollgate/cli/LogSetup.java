package dev.tollgate.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
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

    /** Stops logging, so the flow lines still buffered for standard output are written at exit. */
    static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
