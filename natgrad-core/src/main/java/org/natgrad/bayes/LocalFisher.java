package org.natgrad.bayes;

import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.MatOps;

/**
 * A block-diagonal metric blkdiag_r(G_r) on the parameters of a {@link Dag}: one
 * (1+|pa(r)|) x (1+|pa(r)|) block per unit, in the Dag's parameter layout (math.md §5.2). For
 * the full-system Fisher metric, G_r = E_{p(x_pa)}[Var(x_r | a_r) x̄_pa x̄_paᵀ]; it is obtained
 * exactly from {@link Enumeration#localFisher()} or estimated here from samples with the analytic
 * weight {@link #fromSamples}. Units outside the metric's unit set have no block (null).
 */
public final class LocalFisher {
    private final Dag dag;
    private final Matrix[] blocks;

    LocalFisher(Dag dag, Matrix[] blocks) {
        this.dag = dag;
        this.blocks = blocks;
    }

    /**
     * Estimates G_r = (1/M) Σ_m Var(x_r | a_r(x^m)) x̄_pa(x^m) x̄_pa(x^m)ᵀ from M samples (the
     * columns of {@code samples}, n x M, unit values), for the given units.
     * The sample may come from any distribution over parent states: ancestral samples of p_θ give
     * the model Fisher, completed data vectors give the data-completed Fisher.
     */
    public static LocalFisher fromSamples(Dag dag, double[] theta, int[] units, Matrix samples) {
        int n = dag.size();
        if (samples.rows() != n) {
            throw new IllegalArgumentException("LocalFisher.fromSamples: samples must be " + n + " x M (one unit per row), got "
                    + samples.shape());
        }
        int count = samples.cols();
        Matrix[] blocks = new Matrix[n];
        double[] data = samples.data();
        for (int r : units) {
            int[] pa = dag.parentsView(r);
            int d = pa.length + 1;
            int off = dag.offset(r);
            double[] b = new double[d * d];
            double[] xb = new double[d];
            xb[0] = 1;
            for (int m = 0; m < count; m++) {
                int base = m * n;
                for (int j = 0; j < pa.length; j++) {
                    xb[j + 1] = data[base + pa[j]];
                }
                double w = dag.type(r).variance(FamilyTables.preActivation(theta, off, xb)) / count;
                for (int j = 0; j < d; j++) {
                    double f = w * xb[j];
                    for (int i = 0; i < d; i++) {
                        b[i + j * d] += f * xb[i];
                    }
                }
            }
            blocks[r] = new Matrix(d, d, b);
        }
        return new LocalFisher(dag, blocks);
    }

    /** The full-system model Fisher of {@code net} estimated from M ancestral samples (columns of samples). */
    public static LocalFisher fromSamples(BayesNet net, Matrix samples) {
        int[] all = new int[net.dag().size()];
        for (int r = 0; r < all.length; r++) {
            all[r] = r;
        }
        return fromSamples(net.dag(), net.parametersView(), all, samples);
    }

    public Dag dag() {
        return dag;
    }

    /** G_r (a copy), or null when unit r has no block. */
    public Matrix block(int r) {
        return blocks[r] == null ? null : blocks[r].copy();
    }

    /** The metric as a dense P x P matrix (zero outside the blocks). */
    public Matrix toDense() {
        int p = dag.parameterCount();
        Matrix g = new Matrix(p, p);
        for (int r = 0; r < blocks.length; r++) {
            if (blocks[r] == null) {
                continue;
            }
            int off = dag.offset(r);
            int d = blocks[r].rows();
            for (int j = 0; j < d; j++) {
                for (int i = 0; i < d; i++) {
                    g.set(off + i, off + j, blocks[r].get(i, j));
                }
            }
        }
        return g;
    }

    /**
     * Solves (G_r + damping I) d_r = g_r block by block (Cholesky; if the shifted block is not
     * positive definite, the pseudo-inverse); entries outside the blocks are set to zero. Length P in and out.
     *
     * @throws IllegalArgumentException for damping < 0 or a wrong length
     */
    public double[] solve(double[] g, double damping) {
        if (g.length != dag.parameterCount()) {
            throw new IllegalArgumentException("LocalFisher.solve: expected a vector of length " + dag.parameterCount()
                    + ", got " + g.length);
        }
        if (!(damping >= 0) || Double.isInfinite(damping)) {
            throw new IllegalArgumentException("LocalFisher.solve: damping must be finite and >= 0, got " + damping);
        }
        double[] out = new double[g.length];
        for (int r = 0; r < blocks.length; r++) {
            if (blocks[r] == null) {
                continue;
            }
            int off = dag.offset(r);
            int d = blocks[r].rows();
            double[] x = solveBlock(blocks[r], damping, g, off);
            System.arraycopy(x, 0, out, off, d);
        }
        return out;
    }

    /**
     * (B + damping I)^-1 g[off .. off+d). Blocks are tiny (1 + fan-in), so a plain Java Cholesky
     * is used: a native call per block would cost more than the arithmetic. If the shifted block
     * is not numerically positive definite, the Moore-Penrose pseudo-inverse is applied instead.
     */
    private static double[] solveBlock(Matrix block, double damping, double[] g, int off) {
        int d = block.rows();
        double[] l = block.data().clone();
        for (int i = 0; i < d; i++) {
            l[i + i * d] += damping;
        }
        boolean ok = true;
        for (int j = 0; j < d && ok; j++) {
            double s = l[j + j * d];
            for (int k = 0; k < j; k++) {
                s -= l[j + k * d] * l[j + k * d];
            }
            if (!(s > 1e-300) || !(s > 1e-14 * Math.abs(l[j + j * d]))) {
                ok = false;
                break;
            }
            double ljj = Math.sqrt(s);
            l[j + j * d] = ljj;
            for (int i = j + 1; i < d; i++) {
                double t = l[i + j * d];
                for (int k = 0; k < j; k++) {
                    t -= l[i + k * d] * l[j + k * d];
                }
                l[i + j * d] = t / ljj;
            }
        }
        double[] x = new double[d];
        if (!ok) {
            Matrix shifted = MatOps.addDiagonalInPlace(block.copy(), damping);
            Matrix pinv = Inverses.pseudoInverse(shifted, Inverses.DEFAULT_REL_TOL);
            for (int i = 0; i < d; i++) {
                double t = 0;
                for (int j = 0; j < d; j++) {
                    t += pinv.get(i, j) * g[off + j];
                }
                x[i] = t;
            }
            return x;
        }
        for (int i = 0; i < d; i++) { // L y = g
            double t = g[off + i];
            for (int k = 0; k < i; k++) {
                t -= l[i + k * d] * x[k];
            }
            x[i] = t / l[i + i * d];
        }
        for (int i = d - 1; i >= 0; i--) { // Lᵀ x = y
            double t = x[i];
            for (int k = i + 1; k < d; k++) {
                t -= l[k + i * d] * x[k];
            }
            x[i] = t / l[i + i * d];
        }
        return x;
    }
}
