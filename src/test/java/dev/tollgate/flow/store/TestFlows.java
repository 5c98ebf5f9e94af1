package dev.tollgate.flow.store;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import dev.tollgate.flow.FlowSink;
import dev.tollgate.flow.Flows;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Finished flows made by the real recorder (Flows, Flow), as the proxy makes them. */
final class TestFlows {
    private final List<FlowRecord> ended = new ArrayList<>();
    private final Flows flows = new Flows(List.of(new FlowSink() {
        @Override
        public void ended(FlowRecord flow) {
            ended.add(flow);
        }

        @Override
        public boolean wantsProgress() {
            return true;
        }
    }));

    FlowRecord flow(String method, String url, FlowMode mode, int status, String error) {
        return flow("10.224.0.7:50000", method, url, mode, status, error, f -> {});
    }

    FlowRecord flow(
            String client, String method, String url, FlowMode mode, int status, String error, Consumer<Flow> more) {
        Flow f = flows.open(client).request(method, url).mode(mode);
        if (status > 0) {
            f.status(status);
        }
        if (error != null) {
            f.error(error);
        }
        more.accept(f);
        f.end();
        return ended.get(ended.size() - 1);
    }
}
