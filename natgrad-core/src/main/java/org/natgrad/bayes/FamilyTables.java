package org.natgrad.bayes;

import org.natgrad.linalg.Matrix;

/**
 * Exact computations that only need the family (x_r, x_pa(r)) of each unit, on joint states
 * coded as ints (bit r = state of unit r). The family code of unit r in state x is
 * bit_r(x) | (bits of its parents, in parent order) << 1, so a unit with k parents has 2^(k+1)
 * family codes. Package-private: {@link Enumeration}, {@link RecognitionNet} and the learning
 * rules share it.
 */
final class FamilyTables {
    private FamilyTables() {
    }

    /**
     * Lookup tables for family codes: with the state split into low bits (units below
     * {@code split}) and high bits, family_r(x) = low[r][x & mask] | high[r][x >>> split]. Two
     * table lookups per unit and state instead of one bit extraction per parent.
     */
    static final class Index {
        final int split;
        final int[][] low;
        final int[][] high;

        Index(Dag dag) {
            int n = dag.size();
            this.split = n / 2;
            this.low = new int[n][1 << split];
            this.high = new int[n][1 << (n - split)];
            for (int r = 0; r < n; r++) {
                int[] pa = dag.parentsView(r);
                for (int lo = 0; lo < low[r].length; lo++) {
                    low[r][lo] = family(pa, r, lo, 0, split);
                }
                for (int hi = 0; hi < high[r].length; hi++) {
                    high[r][hi] = family(pa, r, hi << split, split, n);
                }
            }
        }

        /** Family code bits contributed by units in [from, to) of state. */
        private static int family(int[] pa, int r, int state, int from, int to) {
            int f = r >= from && r < to ? (state >>> r) & 1 : 0;
            for (int j = 0; j < pa.length; j++) {
                if (pa[j] >= from && pa[j] < to) {
                    f |= ((state >>> pa[j]) & 1) << (j + 1);
                }
            }
            return f;
        }
    }

    static int family(int[] pa, int r, int state) {
        int f = (state >>> r) & 1;
        for (int j = 0; j < pa.length; j++) {
            f |= ((state >>> pa[j]) & 1) << (j + 1);
        }
        return f;
    }

    /** Unit values of the parents coded by {@code parentBits}, with a leading 1 (x̄_pa). */
    static double[] augmentedParents(Dag dag, int r, int parentBits) {
        int[] pa = dag.parentsView(r);
        double[] xb = new double[pa.length + 1];
        xb[0] = 1;
        for (int j = 0; j < pa.length; j++) {
            xb[j + 1] = dag.type(pa[j]).value((parentBits >>> j) & 1);
        }
        return xb;
    }

    static double preActivation(double[] theta, int off, double[] xb) {
        double a = 0;
        for (int j = 0; j < xb.length; j++) {
            a += theta[off + j] * xb[j];
        }
        return a;
    }

    /** log k^r(x_r | x_pa) for every family code of unit r. */
    static double[] logKernelTable(Dag dag, double[] theta, int r) {
        int k = dag.parentsView(r).length;
        double[] t = new double[2 << k];
        UnitType type = dag.type(r);
        for (int c = 0; c < (1 << k); c++) {
            double a = preActivation(theta, dag.offset(r), augmentedParents(dag, r, c));
            t[c << 1] = type.logProb(0, a);
            t[(c << 1) | 1] = type.logProb(1, a);
        }
        return t;
    }

    /** For every joint state of the dag, Σ_{r ∈ units} log k^r(x_r | x_pa(r)). */
    static double[] logKernelSum(Dag dag, double[] theta, int[] units) {
        Index ix = dag.familyIndex();
        int states = 1 << dag.size();
        int nLow = 1 << ix.split;
        double[] out = new double[states];
        for (int r : units) {
            double[] t = logKernelTable(dag, theta, r);
            int[] low = ix.low[r];
            int[] high = ix.high[r];
            for (int hi = 0, x = 0; hi < high.length; hi++) {
                int h = high[hi];
                for (int lo = 0; lo < nLow; lo++, x++) {
                    out[x] += t[low[lo] | h];
                }
            }
        }
        return out;
    }

    /** Family marginals: m[r][code] = Σ_x weights[x] [family_r(x) = code], for r in units (others null). */
    static double[][] marginals(Dag dag, int[] units, double[] weights) {
        double[][] m = new double[dag.size()][];
        Index ix = dag.familyIndex();
        int nLow = 1 << ix.split;
        for (int r : units) {
            double[] mr = new double[2 << dag.parentsView(r).length];
            int[] low = ix.low[r];
            int[] high = ix.high[r];
            for (int hi = 0, x = 0; hi < high.length; hi++) {
                int h = high[hi];
                for (int lo = 0; lo < nLow; lo++, x++) {
                    mr[low[lo] | h] += weights[x];
                }
            }
            m[r] = mr;
        }
        return m;
    }

    /**
     * Σ_code m_r[code] (x_r − E[x_r | a_r]) x̄_pa for r in units: the expected local score under
     * the weights the marginals came from. Length P; zero outside the blocks of units.
     */
    static double[] expectedScore(Dag dag, double[] theta, int[] units, double[][] m) {
        double[] g = new double[dag.parameterCount()];
        for (int r : units) {
            int k = dag.parentsView(r).length;
            UnitType type = dag.type(r);
            int off = dag.offset(r);
            for (int c = 0; c < (1 << k); c++) {
                double m0 = m[r][c << 1];
                double m1 = m[r][(c << 1) | 1];
                if (m0 == 0 && m1 == 0) {
                    continue;
                }
                double[] xb = augmentedParents(dag, r, c);
                double mu = type.mean(preActivation(theta, off, xb));
                double e = m0 * (type.value(0) - mu) + m1 * (type.value(1) - mu);
                for (int j = 0; j < xb.length; j++) {
                    g[off + j] += e * xb[j];
                }
            }
        }
        return g;
    }

    /**
     * G_r = Σ_pa (m_r[0,pa] + m_r[1,pa]) Var[x_r | a_r(pa)] x̄_pa x̄_paᵀ for r in units (others
     * null): the local Fisher blocks with parents distributed as the weights.
     */
    static Matrix[] fisherBlocks(Dag dag, double[] theta, int[] units, double[][] m) {
        Matrix[] blocks = new Matrix[dag.size()];
        for (int r : units) {
            int k = dag.parentsView(r).length;
            int d = k + 1;
            UnitType type = dag.type(r);
            int off = dag.offset(r);
            double[] b = new double[d * d];
            for (int c = 0; c < (1 << k); c++) {
                double w = m[r][c << 1] + m[r][(c << 1) | 1];
                if (w == 0) {
                    continue;
                }
                double[] xb = augmentedParents(dag, r, c);
                double wv = w * type.variance(preActivation(theta, off, xb));
                for (int j = 0; j < d; j++) {
                    double f = wv * xb[j];
                    for (int i = 0; i < d; i++) {
                        b[i + j * d] += f * xb[i];
                    }
                }
            }
            blocks[r] = new Matrix(d, d, b);
        }
        return blocks;
    }
}
