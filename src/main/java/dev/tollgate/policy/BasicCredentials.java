package dev.tollgate.policy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The user name and password of a {@code Basic} credential (RFC 7617): base64 of UTF-8 {@code
 * user:password}. The user name ends at the first ':', so the password may contain more.
 *
 * <p>{@code toString} hides the password, so a stray log statement cannot leak it.
 */
record BasicCredentials(String user, String password) {

    /** Decodes the token after {@code Basic }; null when it is not base64 of UTF-8 user:password. */
    static BasicCredentials decode(String token68) {
        String text;
        try {
            byte[] raw = Base64.getDecoder().decode(token68);
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null;
        }
        int colon = text.indexOf(':');
        return colon < 0 ? null : new BasicCredentials(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return "BasicCredentials[user=" + user + ", password=<hidden>]";
    }
}
