package dev.tollgate.route;

/** How the proxy reaches a target: straight, or through the configured parent proxy. */
public sealed interface Hop {

    Direct DIRECT = new Direct();

    record Direct() implements Hop {
        @Override
        public String toString() {
            return "direct";
        }
    }

    /** The parent proxy, an HTTP proxy that takes absolute-form requests and CONNECT. */
    record ViaParent(Target parent) implements Hop {
        @Override
        public String toString() {
            return "via " + parent.authority();
        }
    }
}
