package dev.tollgate.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * SIGHUP for {@code systemctl reload}. The JDK has no public signal API; {@code sun.misc.Signal}
 * (module jdk.unsupported, kept for exactly this) is reached reflectively because a direct
 * reference is a compiler warning that no annotation silences.
 */
final class HangupSignal {
    private HangupSignal() {}

    /** @throws IllegalArgumentException when the platform has no SIGHUP or it is taken (the JVM's own use) */
    static void onHangup(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object hup = signal.getConstructor(String.class).newInstance("HUP");
            Object handler = Proxy.newProxyInstance(
                    handlerType.getClassLoader(),
                    new Class<?>[] {handlerType},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            action.run();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "SIGHUP handler";
                    });
            signal.getMethod("handle", signal, handlerType).invoke(null, hup, handler);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof IllegalArgumentException refused
                    ? refused
                    : new IllegalArgumentException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("sun.misc.Signal is not available: " + e, e);
        }
    }
}
