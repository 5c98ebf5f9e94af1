package dev.tollgate.flow;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Writes each finished flow once to the SLF4J logger {@code flows}: a readable line as the
 * message, and every field as a key-value pair, so a structured encoder (the JSON switch in
 * {@code config/logback.xml}) renders proper fields without parsing the line.
 */
public final class FlowLog {
    public static final String LOGGER = "flows";
    private static final Logger FLOWS = LoggerFactory.getLogger(LOGGER);

    private final Consumer<Flow> listener;

    /** @param listener also sees every flow (the recent-flows store, tests); may be a no-op */
    public FlowLog(Consumer<Flow> listener) {
        this.listener = listener;
    }

    public void log(Flow flow) {
        flow.finish();
        if (FLOWS.isInfoEnabled()) {
            LoggingEventBuilder event = FLOWS.atInfo();
            FlowFields.each(flow, event::addKeyValue);
            event.log(FlowLine.of(flow));
        }
        listener.accept(flow);
    }
}
