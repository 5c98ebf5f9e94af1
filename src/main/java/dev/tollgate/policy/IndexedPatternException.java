package dev.tollgate.policy;

/**
 * A {@link PatternException} for one entry of a list, plus where that entry is.
 *
 * <p>The message is deliberately the cause's message without the index: the config layer knows
 * the list's name and formats {@code noProxy[3]: <message>} itself.
 */
public final class IndexedPatternException extends IllegalArgumentException {
    private final int index;

    public IndexedPatternException(int index, PatternException cause) {
        super(cause.getMessage(), cause);
        this.index = index;
    }

    /** Zero-based position of the bad entry in the list as the caller gave it. */
    public int index() {
        return index;
    }

    public PatternException cause() {
        return (PatternException) getCause();
    }
}
