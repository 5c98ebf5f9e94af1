package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Builds the image from docker/Dockerfile, starts it beside an origin container on a private
 * network, and sends a request through it. Without a container engine (CI here has only the
 * docker client) the whole class is skipped, not failed.
 */
@Testcontainers(disabledWithoutDocker = true)
class DockerImageIT {
    static final Network NET = Network.newNetwork();

    @Container
    static final GenericContainer<?> ORIGIN =
            new GenericContainer<>("nginx:1.27-alpine").withNetwork(NET).withNetworkAliases("origin");

    /**
     * withDockerfilePath is deprecated in favour of withDockerfile(Path), which takes the
     * Dockerfile's own directory (docker/) as the build context; the image is built from the
     * repository root (docker build -f docker/Dockerfile .), so the path form stays.
     */
    @SuppressWarnings("deprecation")
    @Container
    static final GenericContainer<?> PROXY = new GenericContainer<>(new ImageFromDockerfile("tollgate-it", true)
                    .withFileFromPath(".", Path.of(".").toAbsolutePath().normalize())
                    .withDockerfilePath("docker/Dockerfile"))
            .withNetwork(NET)
            .withCommand("run", "--listen", "0.0.0.0:8080", "--allow-client", "0.0.0.0/0", "--intercept=false")
            .withExposedPorts(8080);

    @Test
    void requestGoesThroughTheContainer() throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress(PROXY.getHost(), PROXY.getMappedPort(8080))))
                .build();
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create("http://origin/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("via")).hasValue("1.1 tollgate");
        assertThat(PROXY.getLogs()).contains("GET http://origin/ forward");
    }
}
