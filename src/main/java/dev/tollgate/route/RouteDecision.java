package dev.tollgate.route;

/**
 * What to do with one request or CONNECT. {@link #toString()} is a log fragment such as
 * {@code example.com:443 intercept direct}.
 */
public sealed interface RouteDecision {

    Target target();

    /** The flow-log word for this decision: deny, bypass, tunnel, intercept, forward, local. */
    String mode();

    record Deny(Target target, int status, String reason) implements RouteDecision {
        public String mode() {
            return "deny";
        }

        @Override
        public String toString() {
            return target + " deny (" + reason + ")";
        }
    }

    /**
     * A blind byte relay; {@code bypass} when noProxy chose it (always direct then), {@code auto}
     * when the auto-passthrough table did (clients kept rejecting the forged leaf).
     */
    record Tunnel(Target target, Hop hop, boolean bypass, boolean auto) implements RouteDecision {
        public Tunnel(Target target, Hop hop, boolean bypass) {
            this(target, hop, bypass, false);
        }

        public String mode() {
            return auto ? "bypass (auto)" : bypass ? "bypass" : "tunnel";
        }

        @Override
        public String toString() {
            return target + " " + mode() + " " + hop;
        }
    }

    record Intercept(Target target, Hop hop) implements RouteDecision {
        public String mode() {
            return "intercept";
        }

        @Override
        public String toString() {
            return target + " intercept " + hop;
        }
    }

    /** A plain-HTTP request relayed to its origin (or to the parent proxy). */
    record Forward(Target target, Hop hop) implements RouteDecision {
        public String mode() {
            return "forward";
        }

        @Override
        public String toString() {
            return target + " forward " + hop;
        }
    }

    /** Addressed to the proxy itself: answered locally, never relayed. */
    record Local(Target target) implements RouteDecision {
        public String mode() {
            return "local";
        }

        @Override
        public String toString() {
            return target + " local";
        }
    }
}
