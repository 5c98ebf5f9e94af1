package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminAccessTest {
    private static HttpRequest request(String host, String... headers) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/flows");
        if (host != null) {
            r.headers().set("Host", host);
        }
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().set(headers[i], headers[i + 1]);
        }
        return r;
    }

    @ParameterizedTest(name = "Host: {0}")
    @CsvSource({
        "localhost:8081, true",
        "127.0.0.1:8081, true",
        "127.9.9.9, true",
        "[::1]:8081, true",
        "LOCALHOST, true",
        "evil.example:8081, false",
        "127.0.0.1.evil.example, false",
        "10.0.0.1:8081, false",
        "[::2]:8081, false",
        "localhost.evil.example, false",
    })
    void loopbackOnlyAnswersALoopbackHost(String host, boolean allowed) {
        assertThat(AdminAccess.loopback().check(request(host), "/api/flows") == null)
                .isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/api/flows | Authorization | Bearer the-token-0123456789 | true",
                "/api/flows | Authorization | bearer the-token-0123456789 | true",
                "/api/flows | Authorization | Bearer the-token-012345678  | false",
                "/api/flows | Authorization | Basic dGhlLXRva2Vu          | false",
                "/api/flows | Cookie        | tollgate_admin=the-token-0123456789 | false",
                "/api/flows | X-Nothing     | x                           | false",
                "/healthz   | X-Nothing     | x                           | true",
                "/readyz    | X-Nothing     | x                           | true",
            })
    void beyondLoopbackTheTokenIsNeeded(String path, String header, String value, boolean allowed) {
        AdminAccess access = AdminAccess.withToken("the-token-0123456789");
        AdminAccess.Refusal r = access.check(request("proxy.example:8081", header, value), path);
        assertThat(r == null).isEqualTo(allowed);
        if (r != null) {
            assertThat(r.status()).isEqualTo(401);
        }
    }

    @ParameterizedTest
    @CsvSource({"the-token-0123456789, true", "the-token-0123456780, false", "'', false"})
    void theLoginCookieIsAMacOfTheTokenAndOpensTheApi(String offered, boolean ok) {
        AdminAccess access = AdminAccess.withToken("the-token-0123456789");
        String session = access.login(offered);
        assertThat(session != null).isEqualTo(ok);
        if (ok) {
            assertThat(session).doesNotContain("the-token");
            assertThat(access.check(request("h", "Cookie", AdminAccess.COOKIE + "=" + session), "/"))
                    .isNull();
        }
    }
}
