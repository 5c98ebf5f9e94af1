package dev.tollgate.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlRedactionTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=abc%2Bdef&se=2026 | https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=REDACTED&se=2026",
                "https://login.example/cb?code=xyz&state=1 | https://login.example/cb?code=REDACTED&state=1",
                "http://a.example/?access_token=t1&API_KEY=k | http://a.example/?access_token=REDACTED&API_KEY=REDACTED",
                "http://a.example/p?x=1&y | http://a.example/p?x=1&y",
                "http://a.example/no-query | http://a.example/no-query",
                "http://a.example/?keyword=jazz | http://a.example/?keyword=jazz",
            })
    void masksCredentialParametersOnly(String url, String expected) {
        assertThat(UrlRedaction.redact(url)).isEqualTo(expected);
    }
}
