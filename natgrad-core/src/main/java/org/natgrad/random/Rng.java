package org.natgrad.random;

import java.util.Arrays;

/**
 * natgrad's seeded random number generator: xoshiro256** seeded through SplitMix64, with
 * Gaussian draws by the Marsaglia polar method. Unlike {@link java.util.Random}, its whole state
 * can be read ({@link #state()}) and restored ({@link #restore(long[])}), so an interrupted run
 * resumes with exactly the same random stream. Not thread-safe; give each thread its own, made by
 * {@link #split()}.
 */
public final class Rng {
    private long s0, s1, s2, s3;
    private double spareGaussian;
    private boolean hasSpare;

    /** A generator seeded from {@code seed}; equal seeds give equal streams. */
    public Rng(long seed) {
        long x = seed;
        s0 = splitMix(x += 0x9E3779B97F4A7C15L);
        s1 = splitMix(x += 0x9E3779B97F4A7C15L);
        s2 = splitMix(x += 0x9E3779B97F4A7C15L);
        s3 = splitMix(x + 0x9E3779B97F4A7C15L);
        if ((s0 | s1 | s2 | s3) == 0) {
            s0 = 1;
        }
    }

    /**
     * A generator that depends only on {@code seed} and the {@code keys} (e.g. a step and an
     * example's position in its minibatch), each key mixed in through SplitMix64: the same keys
     * give the same stream wherever and in whatever order it is made, which is what lets a
     * partitioned computation draw exactly what a single machine draws.
     */
    public static Rng keyed(long seed, long... keys) {
        long x = splitMix(seed + 0x9E3779B97F4A7C15L);
        for (long k : keys) {
            x = splitMix(x ^ splitMix(k + 0xD1B54A32D192ED03L));
        }
        return new Rng(x);
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The next 64 random bits. */
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1), 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long r = nextLong() >>> 33; // 31 bits
        long m = r * bound;
        long l = m & 0x7FFFFFFFL;
        if (l < bound) {
            long t = (0x80000000L - bound) % bound;
            while (l < t) {
                r = nextLong() >>> 33;
                m = r * bound;
                l = m & 0x7FFFFFFFL;
            }
        }
        return (int) (m >>> 31);
    }

    /** Standard normal draw (Marsaglia polar method). */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u, v, s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * f;
        hasSpare = true;
        return u * f;
    }

    /** Fills the array with standard normal draws. */
    public void fillGaussian(double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = nextGaussian();
        }
    }

    /** In-place Fisher-Yates shuffle. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * A partial Fisher–Yates shuffle: for i = 0..count−1 swaps {@code index[i]} with an entry drawn
     * uniformly from {@code index[i..]} ({@code count} calls of {@link #nextInt}), so the first
     * {@code count} entries become {@code count} distinct entries chosen uniformly at random; returns
     * them (a new array of length count). {@code index} is permuted in place and may be kept for
     * the next draw.
     *
     * @throws IllegalArgumentException unless 0 ≤ count ≤ index.length
     */
    public int[] drawDistinct(int[] index, int count) {
        if (count < 0 || count > index.length) {
            throw new IllegalArgumentException("Rng.drawDistinct: count must be in 0.." + index.length + ", got " + count);
        }
        int n = index.length;
        int[] pick = new int[count];
        for (int i = 0; i < count; i++) {
            int j = i + nextInt(n - i);
            int t = index[i];
            index[i] = index[j];
            index[j] = t;
            pick[i] = index[i];
        }
        return pick;
    }

    /** A random permutation of 0..n-1. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p);
        return p;
    }

    /** An independent generator derived from this one's next output (advances this one). */
    public Rng split() {
        return new Rng(nextLong());
    }

    /** The full state: four words of xoshiro state, the spare flag and the spare value's bits. */
    public long[] state() {
        return new long[] {s0, s1, s2, s3, hasSpare ? 1 : 0, Double.doubleToRawLongBits(spareGaussian)};
    }

    /** Restores a state returned by {@link #state()}. */
    public void restore(long[] state) {
        if (state.length != 6) {
            throw new IllegalArgumentException("Rng state must have 6 words, got " + state.length);
        }
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
        hasSpare = state[4] != 0;
        spareGaussian = Double.longBitsToDouble(state[5]);
    }

    /** A generator in the given state. */
    public static Rng fromState(long[] state) {
        Rng r = new Rng(0);
        r.restore(state);
        return r;
    }

    @Override
    public String toString() {
        return "Rng" + Arrays.toString(state());
    }
}
