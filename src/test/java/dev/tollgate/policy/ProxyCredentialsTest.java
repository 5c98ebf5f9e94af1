package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.policy.ProxyCredentials.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyCredentialsTest {
    private static final byte[] SALT = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static final ProxyCredentials CREDENTIALS = ProxyCredentials.parse(
            "users",
            List.of(
                    "# proxy users",
                    "",
                    "alice:" + bcrypt("2y", "wonderland"),
                    "bob:" + bcrypt("2a", "builder"),
                    "carol:" + bcrypt("2b", "c:o:l:o:n"),
                    "dave:" + sha("s3cret"),
                    "  # indented comment",
                    "erin:" + bcrypt("2y", "pässwörd")));

    static String bcrypt(String version, String password) {
        return OpenBSDBCrypt.generate(version, password.toCharArray(), SALT, 4);
    }

    static String sha(String password) throws RuntimeException {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8));
            return "{SHA}" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // user:password as sent       | expected user, or the denial reason after "denied: "
                "alice:wonderland              | alice",
                "bob:builder                   | bob",
                "carol:c:o:l:o:n               | carol",
                "dave:s3cret                   | dave",
                "erin:pässwörd                 | erin",
                "alice:wrong                   | denied: wrong user name or password",
                "alice:                        | denied: wrong user name or password",
                "dave:wrong                    | denied: wrong user name or password",
                "mallory:wonderland            | denied: wrong user name or password",
                "ALICE:wonderland              | denied: wrong user name or password",
                ":wonderland                   | denied: wrong user name or password",
                "carol:c                       | denied: wrong user name or password",
            })
    void checksUserAndPassword(String sent, String expected) {
        assertThat(describe(CREDENTIALS.check(basic(sent)))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(
            delimiter = '|',
            value = {
                "basic YWxpY2U6d29uZGVybGFuZA==            | alice",
                "BASIC    YWxpY2U6d29uZGVybGFuZA==         | alice",
                "'  Basic YWxpY2U6d29uZGVybGFuZA==  '      | alice",
                "Bearer YWxpY2U6d29uZGVybGFuZA==           | denied: unsupported Proxy-Authorization scheme; only Basic is accepted",
                "Digest username=\"alice\"                 | denied: unsupported Proxy-Authorization scheme; only Basic is accepted",
                "BasicYWxpY2U6d29uZGVybGFuZA==             | denied: unsupported Proxy-Authorization scheme; only Basic is accepted",
                "Basic                                     | denied: malformed Proxy-Authorization",
                "Basic !!!notbase64!!!                     | denied: malformed Proxy-Authorization",
                "Basic YWxp Y2U6d29uZGVybGFuZA==           | denied: malformed Proxy-Authorization",
                "Basic bm9jb2xvbg==                        | denied: malformed Proxy-Authorization",
                "Basic /w==                                | denied: malformed Proxy-Authorization",
                "''                                        | denied: proxy authentication required",
                "'   '                                     | denied: proxy authentication required",
            })
    void readsTheHeader(String header, String expected) {
        // "bm9jb2xvbg==" is "nocolon"; "/w==" is the lone byte 0xFF, not UTF-8.
        assertThat(describe(CREDENTIALS.check(header))).isEqualTo(expected);
    }

    @Test
    void missingHeaderAsksForAuthentication() {
        assertThat(CREDENTIALS.check(null)).isEqualTo(new Result.Denied("proxy authentication required"));
        assertThat(CREDENTIALS.cached(null)).isFalse();
    }

    @Test
    void cachesOnlySuccesses() {
        ProxyCredentials credentials = ProxyCredentials.parse("users", List.of("alice:" + bcrypt("2y", "wonderland")));
        String good = basic("alice:wonderland");
        String bad = basic("alice:guess");
        assertThat(credentials.cached(good)).isFalse();
        assertThat(credentials.check(bad)).isInstanceOf(Result.Denied.class);
        assertThat(credentials.cached(bad)).isFalse();
        assertThat(credentials.check(good)).isEqualTo(new Result.Allowed("alice"));
        assertThat(credentials.cached(good)).isTrue();
        assertThat(credentials.cached(" " + good + " ")).isTrue();
        assertThat(credentials.check(good)).isEqualTo(new Result.Allowed("alice"));
        assertThat(credentials.cached(bad)).isFalse();
    }

    @Test
    void quickCheckAnswersWithoutHashingOrSaysItCannot() {
        ProxyCredentials credentials = ProxyCredentials.parse("users", List.of("alice:" + bcrypt("2y", "wonderland")));
        String good = basic("alice:wonderland");
        assertThat(credentials.quickCheck(null)).isInstanceOf(Result.Denied.class);
        assertThat(credentials.quickCheck("Bearer x")).isInstanceOf(Result.Denied.class);
        assertThat(credentials.quickCheck("Basic !!!")).isInstanceOf(Result.Denied.class);
        assertThat(credentials.quickCheck(good)).as("needs bcrypt first").isNull();
        assertThat(credentials.check(good)).isEqualTo(new Result.Allowed("alice"));
        assertThat(credentials.quickCheck(good)).isEqualTo(new Result.Allowed("alice"));
    }

    @Test
    void cacheIsPerInstanceSoReloadingForgetsIt() {
        List<String> lines = List.of("alice:" + bcrypt("2y", "wonderland"));
        String good = basic("alice:wonderland");
        ProxyCredentials first = ProxyCredentials.parse("users", lines);
        first.check(good);
        assertThat(ProxyCredentials.parse("users", lines).cached(good)).isFalse();
    }

    @Test
    void cacheIsBoundedAndForgetsTheLeastRecentlyUsed() {
        AuthCache cache = new AuthCache(2);
        cache.put("a", "alice");
        cache.put("b", "bob");
        assertThat(cache.get("a")).isEqualTo("alice"); // b is now the eldest
        cache.put("c", "carol");
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("a")).isEqualTo("alice");
        assertThat(cache.get("c")).isEqualTo("carol");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // line 1 is always a good user, so the bad line is line 2 or later
                "no colon             | justaname                     | users:2: expected user:hash",
                "empty user           | :{SHA}AAAAAAAAAAAAAAAAAAAAAAAAAAA= | users:2: empty user name",
                "empty hash           | bob:                          | users:2: empty password hash",
                "apr1                 | bob:$apr1$abcdefgh$0123456789abcdefghijkl | users:2: unsupported password hash MD5 ($apr1$, htpasswd -m); "
                        + StoredHash.SUPPORTED,
                "md5 crypt            | bob:$1$salt$hash              | users:2: unsupported password hash crypt $1$; "
                        + StoredHash.SUPPORTED,
                "sha512 crypt         | bob:$6$salt$hash              | users:2: unsupported password hash crypt $6$; "
                        + StoredHash.SUPPORTED,
                "des crypt            | bob:rOHDe0LSNR6z.             | users:2: unsupported password hash (crypt or plain text, htpasswd -d or -p); "
                        + StoredHash.SUPPORTED,
                "bcrypt 2x            | bob:$2x$10$abcdefghijklmnopqrstuvabcdefghijklmnopqrstuvwxyz01234 | users:2: unsupported password hash bcrypt of an unknown version; "
                        + StoredHash.SUPPORTED,
                "other scheme         | bob:{SSHA}abc                 | users:2: unsupported password hash of an unknown {scheme}; "
                        + StoredHash.SUPPORTED,
                "short bcrypt         | bob:$2y$10$tooshort           | users:2: malformed bcrypt hash: expected $2y$NN$ followed by 53 characters",
                "bcrypt cost 3        | bob:$2y$03$abcdefghijklmnopqrstuvabcdefghijklmnopqrstuvwxyz01234 | users:2: bcrypt cost must be 04..31",
                "bcrypt cost 32       | bob:$2y$32$abcdefghijklmnopqrstuvabcdefghijklmnopqrstuvwxyz01234 | users:2: bcrypt cost must be 04..31",
                "sha not base64       | bob:{SHA}!!!!                 | users:2: malformed {SHA} hash: expected base64 of a 20-byte SHA-1 digest",
                "sha wrong length     | bob:{SHA}AAAA                 | users:2: malformed {SHA} hash: expected base64 of a 20-byte SHA-1 digest",
            })
    void rejectsBadLinesWithFileAndLine(String rule, String line, String message) {
        List<String> lines = List.of("alice:" + sha("x"), line);
        assertThatThrownBy(() -> ProxyCredentials.parse("users", lines))
                .as(rule)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void lineNumbersCountBlankAndCommentLines() {
        List<String> lines = List.of("# users", "", "alice:" + sha("x"), "", "bob:$apr1$x$y");
        assertThatThrownBy(() -> ProxyCredentials.parse("/etc/tollgate/htpasswd", lines))
                .hasMessageStartingWith("/etc/tollgate/htpasswd:5: unsupported password hash MD5");
    }

    @Test
    void duplicateUserNamesBothLines() {
        List<String> lines = List.of("alice:" + sha("x"), "# again", "alice:" + sha("y"));
        assertThatThrownBy(() -> ProxyCredentials.parse("users", lines))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("users:3: duplicate user \"alice\" (first on line 1)");
    }

    @Test
    void plainTextPasswordIsNeverEchoed() {
        assertThatThrownBy(() -> ProxyCredentials.parse("users", List.of("bob:hunter2")))
                .message()
                .doesNotContain("hunter2");
    }

    @Test
    void skipsCommentsBlankLinesAndCarriageReturns() {
        ProxyCredentials credentials = ProxyCredentials.parse(
                "users", List.of("# only comments", "   ", "\t", "alice:" + sha("x") + "\r", "#bob:x"));
        assertThat(credentials.size()).isEqualTo(1);
        assertThat(credentials.check(basic("alice:x"))).isEqualTo(new Result.Allowed("alice"));
        assertThat(ProxyCredentials.parse("users", List.of()).size()).isZero();
    }

    @Test
    void emptyFileDeniesEveryone() {
        ProxyCredentials nobody = ProxyCredentials.parse("users", List.of("# nobody yet"));
        assertThat(nobody.check(basic("alice:x"))).isEqualTo(new Result.Denied("wrong user name or password"));
    }

    @Test
    void loadsFromFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("htpasswd");
        Files.writeString(file, "alice:" + bcrypt("2y", "wonderland") + "\nbob:" + sha("builder") + "\n");
        ProxyCredentials credentials = ProxyCredentials.load(file);
        assertThat(credentials.size()).isEqualTo(2);
        assertThat(credentials.check(basic("bob:builder"))).isEqualTo(new Result.Allowed("bob"));
        Files.writeString(file, "alice:plain\n");
        assertThatThrownBy(() -> ProxyCredentials.load(file))
                .hasMessageStartingWith(file + ":1: unsupported password hash");
    }

    @Test
    void noSecretsInToString() {
        String hash = bcrypt("2y", "wonderland");
        ProxyCredentials credentials =
                ProxyCredentials.parse("users", List.of("alice:" + hash, "dave:" + sha("s3cret")));
        assertThat(credentials.toString())
                .isEqualTo("ProxyCredentials[2 users]")
                .doesNotContain(hash);
        assertThat(BasicCredentials.decode(basic("alice:wonderland").substring(6)))
                .hasToString("BasicCredentials[user=alice, password=<hidden>]");
        assertThat(StoredHash.parse(hash)).hasToString("bcrypt (cost 4)");
        assertThat(StoredHash.parse(sha("s3cret"))).hasToString("{SHA}");
        assertThat(credentials.check(basic("alice:nope")).toString()).doesNotContain("nope");
    }

    @Test
    void unknownUsersAreCheckedAgainstADummyOfTheFileCost() {
        ProxyCredentials credentials = ProxyCredentials.parse(
                "users",
                List.of(
                        "alice:" + OpenBSDBCrypt.generate("2y", "a".toCharArray(), SALT, 4),
                        "bob:" + OpenBSDBCrypt.generate("2y", "b".toCharArray(), SALT, 6)));
        // Timing cannot be asserted reliably; the dummy's cost can.
        assertThat(credentials.dummy()).hasToString("bcrypt (cost 6)");
        assertThat(CREDENTIALS.dummy()).hasToString("bcrypt (cost 4)");
        assertThat(ProxyCredentials.parse("users", List.of("dave:" + sha("x"))).dummy())
                .hasToString("{SHA}");
        assertThat(credentials.check(basic("nobody:a"))).isEqualTo(new Result.Denied("wrong user name or password"));
    }

    private static String describe(Result result) {
        return result instanceof Result.Allowed allowed
                ? allowed.user()
                : "denied: " + ((Result.Denied) result).reason();
    }
}
