package org.natgrad.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Rng: determinism, state save/restore (also with a pending spare Gaussian), unbiased integers,
 * uniform and Gaussian moments. Statistical checks use fixed seeds and tolerances of 5 standard
 * errors, or the 0.999 quantile for chi-square statistics.
 */
class RngTest {

    /** A mixed stream: longs, doubles, ints and Gaussians (an odd number, so a spare is left). */
    private static double[] draws(Rng r, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = switch (i % 4) {
                case 0 -> r.nextLong();
                case 1 -> r.nextDouble();
                case 2 -> r.nextInt(1000);
                default -> r.nextGaussian();
            };
        }
        return d;
    }

    @Test
    void sameSeedSameStreamDifferentSeedDifferentStream() {
        assertArrayEquals(draws(new Rng(5), 400), draws(new Rng(5), 400));
        assertNotEquals(new Rng(5).nextLong(), new Rng(6).nextLong());
        assertNotEquals(new Rng(0).nextLong(), new Rng(0).split().nextLong());
        // seed 0 is fine (SplitMix seeding never leaves the all-zero state)
        long x = new Rng(0).nextLong() | new Rng(0).nextLong();
        assertTrue(x != 0);
    }

    @Test
    void restoreResumesTheIdenticalStream() {
        Rng r = new Rng(7);
        draws(r, 37);
        long[] s = r.state();
        double[] first = draws(r, 200);
        r.restore(s);
        assertArrayEquals(first, draws(r, 200));
        assertArrayEquals(first, draws(Rng.fromState(s), 200));
    }

    @Test
    void restoreKeepsAPendingSpareGaussian() {
        Rng r = new Rng(8);
        r.nextGaussian(); // polar method makes two; one is now pending
        long[] s = r.state();
        assertEquals(1, s[4], "spare flag is part of the state");
        double spare = r.nextGaussian();
        double next = r.nextGaussian();
        Rng back = Rng.fromState(s);
        assertEquals(spare, back.nextGaussian(), 0);
        assertEquals(next, back.nextGaussian(), 0);
        // restoring a state without a spare drops a spare pending in the target generator
        Rng a = new Rng(9);
        long[] noSpare = a.state();
        double g0 = a.nextGaussian();
        Rng b = new Rng(10);
        b.nextGaussian();
        b.restore(noSpare);
        assertEquals(g0, b.nextGaussian(), 0);
        assertThrows(IllegalArgumentException.class, () -> r.restore(new long[5]));
    }

    @Test
    void nextIntIsUniformSmallBound() {
        Rng r = new Rng(11);
        int bound = 7;
        int n = 70_000;
        long[] count = new long[bound];
        for (int i = 0; i < n; i++) {
            int v = r.nextInt(bound);
            assertTrue(v >= 0 && v < bound);
            count[v]++;
        }
        double e = (double) n / bound;
        double chi2 = Arrays.stream(count).mapToDouble(c -> (c - e) * (c - e) / e).sum();
        assertTrue(chi2 < 22.46, "chi-square " + chi2 + " with 6 degrees of freedom above the 0.999 quantile 22.46");
    }

    /**
     * A bound of about 2/3 of 2^31: a modulo reduction of 31 random bits would make the lower half
     * of the range come up with probability 2/3 instead of 1/2.
     */
    @Test
    void nextIntIsUnbiasedForLargeBounds() {
        Rng r = new Rng(12);
        int bound = 1_431_655_765; // floor(2^31 * 2 / 3)
        int n = 40_000;
        int low = 0;
        for (int i = 0; i < n; i++) {
            int v = r.nextInt(bound);
            assertTrue(v >= 0 && v < bound);
            if (v < bound / 2) {
                low++;
            }
        }
        assertEquals(0.5, (double) low / n, 5 * 0.5 / Math.sqrt(n));
        // extremes
        assertEquals(0, r.nextInt(1));
        for (int i = 0; i < 1000; i++) {
            int v = r.nextInt(Integer.MAX_VALUE);
            assertTrue(v >= 0 && v < Integer.MAX_VALUE);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.nextInt(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void uniformDoublesHaveUniformMoments() {
        Rng r = new Rng(13);
        int n = 100_000;
        double s = 0, ss = 0;
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            assertTrue(u >= 0 && u < 1);
            s += u;
            ss += u * u;
        }
        assertEquals(0.5, s / n, 5 * Math.sqrt(1.0 / 12 / n));
        // Var(u²) = 1/5 - 1/9
        assertEquals(1.0 / 3, ss / n, 5 * Math.sqrt((1.0 / 5 - 1.0 / 9) / n));
    }

    /** Standard errors for N(0,1): mean 1/√n, E[z²] √(2/n), E[z⁴] √(96/n) (Var z⁴ = 105 − 9). */
    @Test
    void gaussianMomentsAreStandardNormal() {
        Rng r = new Rng(14);
        int n = 200_000;
        double[] z = new double[n];
        r.fillGaussian(z);
        double m1 = 0, m2 = 0, m4 = 0, below = 0;
        for (double v : z) {
            m1 += v;
            m2 += v * v;
            m4 += v * v * v * v;
            below += v < -1 ? 1 : 0;
        }
        assertEquals(0, m1 / n, 5 / Math.sqrt(n));
        assertEquals(1, m2 / n, 5 * Math.sqrt(2.0 / n));
        assertEquals(3, m4 / n, 5 * Math.sqrt(96.0 / n));
        double phi = 0.15865525393145707; // Φ(−1)
        assertEquals(phi, below / n, 5 * Math.sqrt(phi * (1 - phi) / n));
    }

    @Test
    void permutationsArePermutations() {
        Rng r = new Rng(15);
        int[] p = r.permutation(50);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, sorted[i]);
        }
        assertTrue(!Arrays.equals(sorted, p), "a 50-element shuffle is not the identity");
        // position of element 0 after shuffling 4 elements is uniform: chi-square, 3 dof
        int n = 40_000;
        long[] where = new long[4];
        for (int t = 0; t < n; t++) {
            int[] q = r.permutation(4);
            for (int i = 0; i < 4; i++) {
                if (q[i] == 0) {
                    where[i]++;
                }
            }
        }
        double e = n / 4.0;
        double chi2 = Arrays.stream(where).mapToDouble(c -> (c - e) * (c - e) / e).sum();
        assertTrue(chi2 < 16.27, "chi-square " + chi2);
    }

    /**
     * drawDistinct: the picks are distinct entries of the index, the index stays a permutation, and
     * with the index kept between draws every ordered pair of 2 out of 5 comes up with probability
     * 1/20 (chi-square over 20 cells, 19 degrees of freedom, below its 0.999 quantile 43.82).
     */
    @Test
    void drawDistinctPicksUniformOrderedSubsetsAndKeepsAPermutation() {
        Rng r = new Rng(41);
        int[] index = {0, 1, 2, 3, 4};
        long[] counts = new long[25];
        int draws = 40_000;
        for (int t = 0; t < draws; t++) {
            int[] pick = r.drawDistinct(index, 2);
            assertEquals(2, pick.length);
            assertNotEquals(pick[0], pick[1]);
            assertArrayEquals(new int[]{index[0], index[1]}, pick);
            counts[pick[0] * 5 + pick[1]]++;
        }
        int[] sorted = index.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[]{0, 1, 2, 3, 4}, sorted);
        double e = draws / 20.0;
        double chi2 = 0;
        for (int a = 0; a < 5; a++) {
            for (int b = 0; b < 5; b++) {
                long c = counts[a * 5 + b];
                if (a == b) {
                    assertEquals(0, c);
                } else {
                    chi2 += (c - e) * (c - e) / e;
                }
            }
        }
        assertTrue(chi2 < 43.82, "chi-square " + chi2);
        assertEquals(0, r.drawDistinct(index, 0).length);
        assertThrows(IllegalArgumentException.class, () -> r.drawDistinct(index, 6));
        assertThrows(IllegalArgumentException.class, () -> r.drawDistinct(index, -1));
    }
}
