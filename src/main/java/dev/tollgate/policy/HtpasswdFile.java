package dev.tollgate.policy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the lines of an htpasswd file into user name and hash.
 *
 * <p>Every problem is reported as {@code FILE:LINE: reason} with a 1-based line number, the form
 * editors and terminals link to. Messages name the user at most, never the hash: a line that is
 * not a known hash may well be a plain-text password.
 */
final class HtpasswdFile {
    private HtpasswdFile() {}

    /** User to hash in file order; blank lines and lines starting with '#' are skipped. */
    static Map<String, StoredHash> parse(String fileName, List<String> lines) {
        Map<String, StoredHash> users = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip(); // also drops the '\r' of files edited on Windows
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int number = i + 1;
            try {
                String user = readLine(line, users, firstLine);
                firstLine.put(user, number);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(fileName + ":" + number + ": " + e.getMessage());
            }
        }
        return users;
    }

    private static String readLine(String line, Map<String, StoredHash> users, Map<String, Integer> firstLine) {
        int colon = line.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected user:hash");
        }
        String user = line.substring(0, colon);
        if (user.isEmpty()) {
            throw new IllegalArgumentException("empty user name");
        }
        if (users.containsKey(user)) {
            throw new IllegalArgumentException(
                    "duplicate user \"" + user + "\" (first on line " + firstLine.get(user) + ")");
        }
        users.put(user, StoredHash.parse(line.substring(colon + 1)));
        return user;
    }
}
