package dev.tollgate.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One forging per name however many handshakes ask at once; failures are not cached. */
class LeafCacheTest {
    private static LeafForge forge;

    private ExecutorService pool;

    @BeforeAll
    static void forge() {
        forge = new LeafForge(TestCas.ec(), KeyKind.EC256);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    /**
     * Runs tasks on a pool and counts the forgings among them. Caffeine also hands the
     * executor maintenance tasks of its own; a forging is what LeafCache submits, a
     * {@code CompletableFuture.supplyAsync} task. Forgings wait at {@code gate} until released.
     */
    private static final class CountingExecutor implements Executor {
        final AtomicInteger forgings = new AtomicInteger();
        final CountDownLatch gate;
        final ExecutorService pool;

        CountingExecutor(ExecutorService pool, CountDownLatch gate) {
            this.pool = pool;
            this.gate = gate;
        }

        @Override
        public void execute(Runnable task) {
            boolean forging = task instanceof CompletableFuture.AsynchronousCompletionTask
                    && task.getClass().getName().contains("AsyncSupply");
            if (!forging) {
                pool.execute(task);
                return;
            }
            forgings.incrementAndGet();
            pool.execute(() -> {
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                task.run();
            });
        }
    }

    @Test
    void concurrentRequestsForOneNameShareOneForging() throws Exception {
        int threads = 32;
        pool = Executors.newFixedThreadPool(threads + 4);
        CountDownLatch forgingGate = new CountDownLatch(1);
        CountingExecutor executor = new CountingExecutor(pool, forgingGate);
        LeafCache cache = new LeafCache(forge, 100, executor);

        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch asked = new CountDownLatch(threads);
        List<Future<CompletableFuture<Leaf>>> calls = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        try {
            for (int i = 0; i < threads; i++) {
                calls.add(callers.submit(() -> {
                    start.await();
                    CompletableFuture<Leaf> f = cache.leafFor("Same.Example.Test", List.of("alt.example.test"));
                    asked.countDown();
                    return f;
                }));
            }
            start.countDown();
            // every caller holds its future while the one forging is still held at the gate
            assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
            forgingGate.countDown();
            Set<Leaf> leaves = Collections.newSetFromMap(new IdentityHashMap<>());
            Set<X509Certificate> certs = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Future<CompletableFuture<Leaf>> call : calls) {
                Leaf leaf = call.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
                leaves.add(leaf);
                certs.add(leaf.certificate());
            }
            assertThat(executor.forgings.get()).isEqualTo(1);
            assertThat(leaves).hasSize(1);
            assertThat(certs).hasSize(1);
            assertThat(cache.size()).isEqualTo(1);
        } finally {
            callers.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0} | {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "b.example.test,a.example.test,10.0.0.1 | 10.0.0.1,a.example.test,b.example.test",
                "A.Example.Test,b.example.test          | b.example.test,a.example.test,a.example.test",
            })
    void extraNameOrderAndCaseDoNotMatter(String first, String second) throws Exception {
        pool = Executors.newFixedThreadPool(2);
        CountingExecutor executor = new CountingExecutor(pool, new CountDownLatch(0));
        LeafCache cache = new LeafCache(forge, 100, executor);
        Leaf a = cache.leafFor("www.example.test", List.of(first.split(","))).get(10, TimeUnit.SECONDS);
        Leaf b = cache.leafFor("WWW.example.test", List.of(second.split(","))).get(10, TimeUnit.SECONDS);
        assertThat(b).isSameAs(a);
        assertThat(executor.forgings.get()).isEqualTo(1);
        // a different set of names is a different leaf
        Leaf c = cache.leafFor("www.example.test", List.of("a.example.test")).get(10, TimeUnit.SECONDS);
        assertThat(c).isNotSameAs(a);
        Leaf d = cache.leafFor("www.example.test", List.of()).get(10, TimeUnit.SECONDS);
        assertThat(d).isNotSameAs(a).isNotSameAs(c);
        assertThat(executor.forgings.get()).isEqualTo(3);
    }

    @Test
    void observersHearOfEachForgingWithItsTimeAndOfEachCacheHit() throws Exception {
        pool = Executors.newFixedThreadPool(2);
        LeafCache cache = new LeafCache(forge, 100, pool);
        List<Long> forgings = new CopyOnWriteArrayList<>();
        AtomicInteger hits = new AtomicInteger();
        cache.observe(new LeafEvents() {
            @Override
            public void forged(long nanos) {
                forgings.add(nanos);
            }

            @Override
            public void hit() {
                hits.incrementAndGet();
            }
        });
        cache.leafFor("a.example.test", List.of()).get(10, TimeUnit.SECONDS);
        cache.leafFor("a.example.test", List.of()).get(10, TimeUnit.SECONDS);
        cache.leafFor("A.example.test", List.of()).get(10, TimeUnit.SECONDS);
        cache.leafFor("b.example.test", List.of()).get(10, TimeUnit.SECONDS);
        assertThat(forgings).hasSize(2).allSatisfy(n -> assertThat(n).isPositive());
        assertThat(hits.get()).isEqualTo(2);
    }

    /** An EC key that can be switched off: while off, signing with it fails inside the JDK provider. */
    private static final class SwitchableKey implements ECPrivateKey {
        private static final long serialVersionUID = 1L;
        final transient ECPrivateKey real;
        final AtomicBoolean broken = new AtomicBoolean();

        SwitchableKey(ECPrivateKey real) {
            this.real = real;
        }

        @Override
        public BigInteger getS() {
            if (broken.get()) {
                throw new IllegalStateException("key store offline");
            }
            return real.getS();
        }

        @Override
        public ECParameterSpec getParams() {
            return real.getParams();
        }

        @Override
        public String getAlgorithm() {
            return "EC";
        }

        @Override
        public String getFormat() {
            return broken.get() ? null : real.getFormat();
        }

        @Override
        public byte[] getEncoded() {
            return broken.get() ? null : real.getEncoded();
        }
    }

    @Test
    void failedForgingCompletesExceptionallyAndIsNotCached() throws Exception {
        CertificateAuthority ec = TestCas.ec();
        SwitchableKey key = new SwitchableKey((ECPrivateKey) ec.privateKey());
        CertificateAuthority flaky = new CertificateAuthority(ec.certificate(), key, List.of());
        pool = Executors.newFixedThreadPool(2);
        CountingExecutor executor = new CountingExecutor(pool, new CountDownLatch(0));
        LeafCache cache = new LeafCache(new LeafForge(flaky, KeyKind.EC256), 100, executor);

        key.broken.set(true);
        CompletableFuture<Leaf> failed = cache.leafFor("flaky.example.test", List.of());
        assertThat(failed).failsWithin(Duration.ofSeconds(10));
        assertThat(failed).isCompletedExceptionally();

        key.broken.set(false);
        // Caffeine drops the failed future in a completion callback that may still be running
        // on the forging thread when get() has returned here: until then it is handed out again
        CompletableFuture<Leaf> retry = await("a fresh forging once the failed one is dropped")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> cache.leafFor("flaky.example.test", List.of()), f -> !f.isCompletedExceptionally());
        Leaf leaf = retry.get(10, TimeUnit.SECONDS);
        assertThat(leaf.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=flaky.example.test");
        leaf.certificate().verify(ec.certificate().getPublicKey());
        assertThat(executor.forgings.get()).isEqualTo(2);
        assertThat(cache.leafFor("flaky.example.test", List.of()).get(10, TimeUnit.SECONDS))
                .isSameAs(leaf);
        assertThat(executor.forgings.get()).isEqualTo(2);
    }

    @Test
    void failureFromTheForgeIsTheCaException() throws Exception {
        // an opaque key (as from a hardware module whose provider is not loaded): no provider takes it
        PrivateKey opaque = new PrivateKey() {
            private static final long serialVersionUID = 1L;

            @Override
            public String getAlgorithm() {
                return "EC";
            }

            @Override
            public String getFormat() {
                return null;
            }

            @Override
            public byte[] getEncoded() {
                return null;
            }
        };
        CertificateAuthority ec = TestCas.ec();
        LeafForge broken = new LeafForge(new CertificateAuthority(ec.certificate(), opaque, List.of()), KeyKind.EC256);
        pool = Executors.newFixedThreadPool(2);
        LeafCache cache = new LeafCache(broken, 100, pool);
        assertThat(cache.leafFor("x.example.test", List.of()))
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(CaException.class)
                .withMessageContaining("cannot sign");
    }
}
