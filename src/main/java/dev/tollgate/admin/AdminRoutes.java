package dev.tollgate.admin;

import java.util.HashMap;
import java.util.Map;

/** The admin listener's paths: exact GET paths, one prefix (a flow by id) and the login POST. */
public final class AdminRoutes {
    private final Map<String, Endpoint> get = new HashMap<>();
    private final Map<String, Endpoint> post = new HashMap<>();
    private String prefix;
    private Endpoint prefixEndpoint;

    public AdminRoutes get(String path, Endpoint e) {
        get.put(path, e);
        return this;
    }

    public AdminRoutes post(String path, Endpoint e) {
        post.put(path, e);
        return this;
    }

    /** Paths under {@code prefix} that no exact path claims. */
    public AdminRoutes getUnder(String prefix, Endpoint e) {
        this.prefix = prefix;
        this.prefixEndpoint = e;
        return this;
    }

    /** The endpoint, or null: {@link #knows} tells 404 from 405. */
    Endpoint find(String method, String path) {
        if (method.equals("POST")) {
            return post.get(path);
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return null;
        }
        Endpoint e = get.get(path);
        if (e == null && prefix != null && path.startsWith(prefix) && path.length() > prefix.length()) {
            return prefixEndpoint;
        }
        return e;
    }

    boolean knows(String path) {
        return get.containsKey(path) || post.containsKey(path) || prefix != null && path.startsWith(prefix);
    }
}
