package dev.tollgate.route;

import java.util.ArrayList;
import java.util.List;

/**
 * The recent rejections of the forged leaf for one host: when each happened (ticker nanos) and
 * who rejected it how. Immutable; keeps at most the last {@code keep} of each, so a host that
 * fails forever costs a bounded amount of memory.
 */
record Strikes(List<Long> at, List<String> notes) {
    static final Strikes NONE = new Strikes(List.of(), List.of());

    /** This one added, those older than {@code window} nanos before {@code now} dropped. */
    Strikes add(long now, long window, int keep, String note) {
        List<Long> times = new ArrayList<>(keep);
        List<String> texts = new ArrayList<>(keep);
        for (int i = 0; i < at.size(); i++) {
            if (now - at.get(i) < window) {
                times.add(at.get(i));
                texts.add(notes.get(i));
            }
        }
        times.add(now);
        texts.add(note);
        int from = Math.max(0, times.size() - keep);
        return new Strikes(
                List.copyOf(times.subList(from, times.size())), List.copyOf(texts.subList(from, texts.size())));
    }

    int count() {
        return at.size();
    }
}
