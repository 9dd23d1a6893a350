package org.natgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The derived figures, checked against numbers worked out by hand from a synthetic JMH CSV. */
class RatiosTest {

    private static final String HEADER = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\","
            + "\"Score Error (99.9%)\",\"Unit\",\"Param: impl\",\"Param: op\"";

    @Test
    void derivedFigures() {
        List<String> csv = List.of(HEADER,
                "\"org.natgrad.bench.GemmThroughputBenchmark.matOps\",\"avgt\",1,5,10.000000,0.5,\"ms/op\",,",
                "\"org.natgrad.bench.GemmThroughputBenchmark.offHeap\",\"avgt\",1,5,8.000000,0.5,\"ms/op\",,",
                "\"org.natgrad.bench.AutoencoderPassBenchmark.pass\",\"avgt\",1,5,0.05,0.001,\"s/op\",,",
                "\"org.natgrad.bench.AutoencoderPassBenchmark.gemmsOfPass\",\"avgt\",1,5,40.0,1,\"ms/op\",,",
                "\"org.natgrad.bench.SmallMatrixBenchmark.run\",\"avgt\",1,3,2.0,0.1,\"us/op\",\"native\",\"gemm:20x20x20\"",
                "\"org.natgrad.bench.SmallMatrixBenchmark.run\",\"avgt\",1,3,3.0,0.1,\"us/op\",\"java\",\"gemm:20x20x20\"");
        List<Ratios.Row> rows = Ratios.parse(csv, "t.csv");
        assertEquals(6, rows.size());
        assertEquals(50.0, rows.get(2).millis(), 1e-12); // 0.05 s/op
        assertEquals(0.002, rows.get(4).millis(), 1e-15); // 2 us/op
        String r = Ratios.report(rows);
        // 2 * 400 * 784 * 1000 = 627.2e6 flops in 10 ms = 62.72 GFLOP/s; in 8 ms 78.40.
        assertTrue(r.contains("62.72 GFLOP/s"), r);
        assertTrue(r.contains("78.40 GFLOP/s"), r);
        assertTrue(r.contains("off-heap pointer time: 1.250"), r);
        // 50 ms / 40 ms; the 23 gemms are 2.198e9 multiply-adds = 4.396e9 flops in 40 ms = 109.90 GFLOP/s.
        assertTrue(r.contains("pass / sum-of-gemms 1.250"), r);
        assertTrue(r.contains("(109.90 GFLOP/s)"), r);
        assertTrue(r.contains("java/native   1.50"), r);
        assertTrue(r.contains("8000 madds"), r);
    }

    @Test
    void factorInverseCostPerStep() {
        String h = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\","
                + "\"Param: n\",\"Param: strategy\"";
        String p = "\"org.natgrad.bench.FactorInverseBenchmark.";
        List<String> csv = List.of(h,
                p + "redamp\",\"avgt\",1,3,1.0,0.1,\"ms/op\",401,\"EIGEN\"",
                p + "refresh\",\"avgt\",1,3,10.0,0.1,\"ms/op\",401,\"EIGEN\"",
                p + "redamp\",\"avgt\",1,3,2.0,0.1,\"ms/op\",401,\"CHOLESKY\"",
                p + "refresh\",\"avgt\",1,3,2.0,0.1,\"ms/op\",401,\"CHOLESKY\"");
        String r = Ratios.report(Ratios.parse(csv, "f.csv"));
        // T = 1: 10 / 2 = 5; T = 10: (10 + 9 * 1) / 10 = 1.9 against (2 + 9 * 2) / 10 = 2.0, ratio 0.95.
        assertTrue(r.contains("5.00") && r.contains("0.95"), r);
        assertTrue(r.contains("  401 "), r);
    }

    @Test
    void backendSizeMeasure() {
        assertEquals(8000, Ratios.backendMultiplyAdds("gemm:20x20x20"));
        assertEquals(4000, Ratios.backendMultiplyAdds("syrk:20x20"));
        assertEquals(400, Ratios.backendMultiplyAdds("gemv:20x20"));
    }

    @Test
    void badInputNamesFileAndLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ratios.parse(List.of(HEADER,
                "\"x.Y.z\",\"avgt\",1,5,1.0,0.1,\"min/op\",,"), "r.csv"));
        assertTrue(e.getMessage().contains("r.csv line 2") && e.getMessage().contains("min/op"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Ratios.parse(List.of("a,b,c"), "r.csv"));
        assertTrue(e.getMessage().contains("r.csv line 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Ratios.parse(List.of(HEADER,
                "\"x.Y.z\",\"thrpt\",1,5,1.0,0.1,\"ops/ms\",,"), "r.csv"));
        assertTrue(e.getMessage().contains("avgt"), e.getMessage());
    }
}
