package org.natgrad.experiment.bernacchia2018;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.natgrad.nn.Batch;
import org.natgrad.data.Dataset;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

class MinibatchSamplerTest {

    private static Dataset indexed(int n) {
        Matrix x = new Matrix(1, n);
        for (int j = 0; j < n; j++) {
            x.set(0, j, j);
        }
        return new Dataset(x, x.copy());
    }

    @Test
    void drawsDistinctExamplesWithTheirOwnTargets() {
        MinibatchSampler s = new MinibatchSampler(indexed(50), new Rng(3));
        for (int t = 0; t < 100; t++) {
            Batch b = s.draw(20);
            Set<Double> seen = new HashSet<>();
            for (int j = 0; j < 20; j++) {
                assertTrue(seen.add(b.inputs().get(0, j)), "repeated example in one minibatch");
                assertEquals(b.inputs().get(0, j), b.targets().get(0, j));
            }
        }
    }

    @Test
    void everyExampleIsEquallyLikely() {
        // P(example i in a batch) = M/N = 0.25; over T = 20000 batches the count is Binomial(T, 0.25):
        // sd = sqrt(T p (1-p)) ≈ 61; allow 5 sd.
        int n = 40;
        int m = 10;
        int t = 20_000;
        int[] count = new int[n];
        MinibatchSampler s = new MinibatchSampler(indexed(n), new Rng(11));
        for (int k = 0; k < t; k++) {
            for (int i : s.drawIndices(m)) {
                count[i]++;
            }
        }
        double expect = (double) t * m / n;
        double sd = Math.sqrt(t * 0.25 * 0.75);
        for (int i = 0; i < n; i++) {
            assertTrue(Math.abs(count[i] - expect) < 5 * sd, "example " + i + " drawn " + count[i] + " times, expected " + expect);
        }
    }

    @Test
    void sameSeedSameBatches() {
        MinibatchSampler a = new MinibatchSampler(indexed(30), new Rng(5));
        MinibatchSampler b = new MinibatchSampler(indexed(30), new Rng(5));
        for (int k = 0; k < 10; k++) {
            assertEquals(java.util.Arrays.toString(a.drawIndices(7)), java.util.Arrays.toString(b.drawIndices(7)));
        }
    }

    @Test
    void batchLargerThanDataIsRejected() {
        MinibatchSampler s = new MinibatchSampler(indexed(5), new Rng(1));
        assertThrows(IllegalArgumentException.class, () -> s.draw(6));
    }
}
