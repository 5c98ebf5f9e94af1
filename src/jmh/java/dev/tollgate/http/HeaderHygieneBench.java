package dev.tollgate.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** HeaderHygiene.clean on a realistic forwarded request head (a fresh copy each call: clean mutates). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HeaderHygieneBench {
    private final HttpHeaders template = new DefaultHttpHeaders()
            .add("Host", "api.example.com")
            .add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36")
            .add("Accept", "application/json, text/plain, */*")
            .add("Accept-Language", "en-GB,en;q=0.9")
            .add("Accept-Encoding", "gzip, deflate, br")
            .add("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl")
            .add("Cookie", "session=abc123; theme=dark; consent=yes")
            .add("Connection", "keep-alive, X-Trace-Hop")
            .add("Proxy-Connection", "keep-alive")
            .add("Keep-Alive", "timeout=5, max=100")
            .add("X-Trace-Hop", "1")
            .add("Proxy-Authorization", "Basic dXNlcjpwYXNz")
            .add("TE", "trailers")
            .add("X-Request-Id", "7f9c2a1e-4b3d-4e8a-9f1c-2d3e4f5a6b7c")
            .add("Via", "1.1 edge");

    @Benchmark
    public boolean clean() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                "http://api.example.com/v1/items?page=2", template.copy());
        return HeaderHygiene.clean(request, "1.1 tollgate");
    }

    @Benchmark
    public HttpHeaders copyOnly() {
        return template.copy(); // the baseline: what clean() costs beyond the copy
    }
}
