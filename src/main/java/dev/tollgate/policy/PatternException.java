package dev.tollgate.policy;

/**
 * A host pattern, CIDR or port that cannot be accepted.
 *
 * <p>The message quotes the entry and says why, e.g. {@code "10.0.0.0/33" is not a CIDR: prefix
 * length must be 0..32}, so config code can show it as is; {@link #reason()} alone is there for
 * callers that build their own wording.
 */
public final class PatternException extends IllegalArgumentException {
    private final String value;
    private final String reason;

    public PatternException(String value, String reason) {
        this(value, "a valid pattern", reason);
    }

    /** {@code what} names what the entry failed to be ("a CIDR", "a valid host pattern"). */
    PatternException(String value, String what, String reason) {
        super('"' + value + "\" is not " + what + ": " + reason);
        this.value = value;
        this.reason = reason;
    }

    /** The entry exactly as it was given, so it can be found in the config. */
    public String value() {
        return value;
    }

    public String reason() {
        return reason;
    }
}
