package dev.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InClusterNamesTest {

    @ParameterizedTest(name = "{0} -> {1} ({2})")
    @CsvSource({
        "konnectivity, konnectivity, dotless",
        "Kubernetes, kubernetes, dotless",
        "konnectivity., konnectivity, dotless",
        "kube-dns.kube-system.svc, .svc, .svc",
        "web.default.svc, .svc, .svc",
        "x.svc.cluster.local, .cluster.local, .cluster.local",
        "kubernetes.default.svc.cluster.local., .cluster.local, .cluster.local",
        "etcd.cluster.local, .cluster.local, .cluster.local",
        "vm1.abc123.internal.cloudapp.net, .internal.cloudapp.net, .internal.cloudapp.net",
        "metadata.google.internal, .internal, .internal",
        "myacct.privatelink.blob.core.windows.net, .privatelink.blob.core.windows.net, .privatelink.*",
        "db.PrivateLink.database.windows.net, .privatelink.database.windows.net, .privatelink.*",
    })
    void inClusterNamesGetTheEntryToAdd(String host, String entry, String rule) {
        InClusterNames.Advice a = InClusterNames.of(host);
        assertThat(a).isNotNull();
        assertThat(a.entry()).isEqualTo(entry);
        assertThat(a.rule()).isEqualTo(rule);
        assertThat(InClusterNames.RULES).contains(a.rule());
        assertThat(a.text())
                .isEqualTo("it looks like an in-cluster or private name: add " + entry
                        + " to noProxy (and to the cluster's httpProxyConfig)");
    }

    @ParameterizedTest
    @CsvSource({
        "nonexistent.example", // a public-looking name that fails DNS: no in-cluster advice
        "api.github.com",
        "localhost",
        "127.0.0.1",
        "10.0.0.10",
        "::1",
        "fd00::5",
        "my.svc.example.com",
        "internal.example.com",
        "cluster.local.example.com",
    })
    void otherNamesGetNone(String host) {
        assertThat(InClusterNames.of(host)).as(host).isNull();
    }
}
