package dev.tollgate.bench;

import dev.tollgate.ca.CaGenerator;
import dev.tollgate.ca.KeyKind;
import dev.tollgate.ca.Leaf;
import dev.tollgate.ca.LeafForge;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** A cold forging: a name never seen before, so one certificate signature by the CA. The leaf key is EC, as in Interception. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LeafForgeBench {
    @Param({"RSA2048", "EC256"})
    public String caKey;

    private LeafForge forge;
    private long counter;

    @Setup
    public void setUp() throws Exception {
        forge = new LeafForge(CaGenerator.generate("Bench CA", KeyKind.valueOf(caKey), 365), KeyKind.EC256);
    }

    @Benchmark
    public Leaf forgeNewName() throws Exception {
        return forge.forge("host-" + (counter++) + ".bench.example", List.of());
    }
}
