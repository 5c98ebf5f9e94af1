package dev.tollgate.bench;

import dev.tollgate.ca.CaGenerator;
import dev.tollgate.ca.KeyKind;
import dev.tollgate.ca.Leaf;
import dev.tollgate.ca.LeafCache;
import dev.tollgate.ca.LeafForge;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** A cache hit: the name and its extra names were forged already. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LeafCacheBench {
    private static final List<String> EXTRAS = List.of("api.bench.example", "10.0.0.7");

    private ExecutorService pool;
    private LeafCache cache;

    @Setup
    public void setUp() throws Exception {
        pool = Executors.newSingleThreadExecutor();
        cache = new LeafCache(new LeafForge(CaGenerator.generate("Bench CA", KeyKind.EC256, 365), KeyKind.EC256), 1000, pool);
        cache.leafFor("www.bench.example", EXTRAS).get(10, TimeUnit.SECONDS);
    }

    @TearDown
    public void tearDown() {
        pool.shutdownNow();
    }

    @Benchmark
    public Leaf hit() throws Exception {
        return cache.leafFor("www.bench.example", EXTRAS).getNow(null);
    }
}
