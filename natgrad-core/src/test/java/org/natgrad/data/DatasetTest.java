package org.natgrad.data;

import org.natgrad.nn.Batch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

class DatasetTest {
    /** N examples whose single input is the example's index and whose target is 10x that. */
    private static Dataset indexed(int n) {
        Matrix x = new Matrix(1, n);
        Matrix y = new Matrix(2, n);
        for (int k = 0; k < n; k++) {
            x.set(0, k, k);
            y.set(0, k, 10 * k);
            y.set(1, k, -k);
        }
        return new Dataset(x, y);
    }

    private static List<double[]> epochIds(Dataset d, int m, long seed, boolean dropLast) {
        List<double[]> out = new ArrayList<>();
        for (Batch b : d.epoch(m, new Rng(seed), dropLast)) {
            for (int j = 0; j < b.size(); j++) {
                assertEquals(10 * b.inputs().get(0, j), b.targets().get(0, j), "inputs and targets stay paired");
                assertEquals(-b.inputs().get(0, j), b.targets().get(1, j), 0.0);
            }
            out.add(b.inputs().data().clone());
        }
        return out;
    }

    @Test
    void everyExampleExactlyOncePerEpoch() {
        Dataset d = indexed(23);
        List<double[]> batches = epochIds(d, 5, 1L, false);
        assertEquals(5, batches.size());
        int[] sizes = batches.stream().mapToInt(b -> b.length).toArray();
        assertArrayEquals(new int[] {5, 5, 5, 5, 3}, sizes);
        Set<Double> seen = new HashSet<>();
        for (double[] b : batches) {
            for (double v : b) {
                seen.add(v);
            }
        }
        assertEquals(23, seen.size());
        List<double[]> dropped = epochIds(d, 5, 1L, true);
        assertEquals(4, dropped.size());
        assertEquals(20, dropped.stream().flatMapToDouble(Arrays::stream).distinct().count());
    }

    @Test
    void sameSeedSameBatchesDifferentSeedDifferentOrder() {
        Dataset d = indexed(50);
        List<double[]> a = epochIds(d, 7, 9L, false);
        List<double[]> b = epochIds(d, 7, 9L, false);
        List<double[]> c = epochIds(d, 7, 10L, false);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
        }
        assertNotEquals(Arrays.toString(a.get(0)), Arrays.toString(c.get(0)));
    }

    @Test
    void consecutiveEpochsFromOneRngDiffer() {
        Dataset d = indexed(30);
        Rng rng = new Rng(4);
        double[] first = d.epoch(30, rng, false).iterator().next().inputs().data();
        double[] second = d.epoch(30, rng, false).iterator().next().inputs().data();
        assertNotEquals(Arrays.toString(first), Arrays.toString(second));
        double[] s1 = first.clone();
        double[] s2 = second.clone();
        Arrays.sort(s1);
        Arrays.sort(s2);
        assertArrayEquals(s1, s2);
    }

    @Test
    void sampleDrawsDistinctExamplesReproducibly() {
        Dataset d = indexed(40);
        Batch a = d.sample(15, new Rng(3));
        Batch b = d.sample(15, new Rng(3));
        assertEquals(a.inputs(), b.inputs());
        assertEquals(15, Arrays.stream(a.inputs().data()).distinct().count());
        assertEquals(40, Arrays.stream(d.sample(40, new Rng(5)).inputs().data()).distinct().count());
        assertThrows(IllegalArgumentException.class, () -> d.sample(41, new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> d.epoch(0, new Rng(1), false));
    }

    @Test
    void sampleIsRoughlyUniform() {
        // each of N examples appears in a size-M sample with probability M/N; over T draws the count
        // is Binomial(T, M/N): check every count within 5 standard deviations
        Dataset d = indexed(10);
        Rng rng = new Rng(12);
        int t = 4000;
        int[] hits = new int[10];
        for (int i = 0; i < t; i++) {
            for (double v : d.sample(3, rng).inputs().data()) {
                hits[(int) v]++;
            }
        }
        double p = 0.3;
        double sd = Math.sqrt(t * p * (1 - p));
        for (int h : hits) {
            assertEquals(t * p, h, 5 * sd);
        }
    }
}
