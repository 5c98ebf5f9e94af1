package dev.tollgate.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The name a proxy puts in its flow records ({@code --instance-name}, else the host name), so the
 * flows of several instances behind one load balancer can be merged and still told apart.
 */
final class InstanceName {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private InstanceName() {}

    /** @throws StartupException when the flag's name is not a plain host-name-like word */
    static String resolve(String flag) {
        if (flag != null) {
            if (!NAME.matcher(flag).matches()) {
                throw new StartupException(
                        "--instance-name: \"" + flag + "\" must be 1 to 63 letters, digits, '.', '_' or '-' "
                                + "(it names this proxy in every flow record)",
                        null);
            }
            return flag;
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && NAME.matcher(env).matches()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
