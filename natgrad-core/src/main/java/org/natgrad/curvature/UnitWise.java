package org.natgrad.curvature;

import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.linalg.GramSolver;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.PsdSolver;
import org.natgrad.nn.ParamVector;

/**
 * Unit-wise Fisher (math.md §4.4): one exact block per unit i of layer l, over the unit's incoming
 * weights and bias (row i of [W_l, b_l]; in the flat order the entries i + r·n_l of the layer's
 * slice), F_{l,i} = Σ_k δ_{l,i,k}² x̄_k x̄_k^T = S_i S_i^T with S_i = X̄_l diag(D_l[i, :]).
 * Each block is solved in data space through its K x K Gram matrix
 * diag(D_i)(X̄^T X̄)diag(D_i) when K &lt; d_l, else through its own eigendecomposition.
 */
public final class UnitWise extends AbstractCurvature {
    private final Matrix[] inputGram;
    /** Unit i of layer l's block solver: data space (K &lt; d_l) or eigendecomposition, built on first use. */
    private final PsdSolver[][] solvers;

    UnitWise(CurvatureStatistics samples, ParamVector template) {
        super(CurvatureChoice.UNIT_WISE, samples, template);
        int layers = samples.layers();
        inputGram = new Matrix[layers];
        solvers = new PsdSolver[layers][];
        for (int l = 0; l < layers; l++) {
            solvers[l] = new PsdSolver[samples.errors()[l].rows()];
        }
    }

    private boolean dual(int l) {
        return samples.count() < samples.inputs()[l].rows();
    }

    private Matrix inputGram(int l) {
        if (inputGram[l] == null) {
            inputGram[l] = MatOps.syrk(1, samples.inputs()[l], true, 0, null);
        }
        return inputGram[l];
    }

    /** Row i of the n x K matrix d. */
    static double[] row(Matrix d, int i) {
        return d.row(i);
    }

    /** Indices of the samples on which unit i of layer l has a non-zero error. */
    private int[] active(int l, int i) {
        double[] d = row(samples.errors()[l], i);
        int n = 0;
        for (double v : d) {
            n += v != 0 ? 1 : 0;
        }
        if (n == 0) {
            return new int[]{0}; // a dead unit: keep one (zero) sample, whose Gram matrix is [0]
        }
        int[] idx = new int[n];
        int k = 0;
        for (int j = 0; j < d.length; j++) {
            if (d[j] != 0) {
                idx[k++] = j;
            }
        }
        return idx;
    }

    /** S_i for unit i of layer l, d_l x K. */
    Matrix unitSamples(int l, int i) {
        Matrix s = samples.inputs()[l].copy();
        MatOps.scaleColumnsInPlace(s, row(samples.errors()[l], i));
        return s;
    }

    private PsdSolver solver(int l, int i) {
        if (solvers[l][i] == null) {
            solvers[l][i] = dual(l) ? dualSolver(l, i)
                    : PsdSolver.eigenOfSamples(unitSamples(l, i), "unit " + (i + 1) + " of layer " + (l + 1));
        }
        return solvers[l][i];
    }

    /** The data-space solver of unit i of layer l (a new one). */
    private GramSolver dualSolver(int l, int i) {
        // only samples with a non-zero error contribute (ReLU units are inactive on many)
        int[] idx = active(l, i);
        double[] all = row(samples.errors()[l], i);
        double[] di = new double[idx.length];
        for (int k = 0; k < idx.length; k++) {
            di[k] = all[idx[k]];
        }
        Matrix g = inputGram(l).selectColumns(idx).transpose().selectColumns(idx);
        MatOps.scaleColumnsInPlace(g, di);
        MatOps.scaleRowsInPlace(g, di);
        // The layer's full input matrix, scattered to and gathered from the active samples:
        // a per-unit copy of its active columns would hold d_l x |active| doubles for every
        // unit (6.7 GB for a 4096-wide layer and 100 examples).
        Matrix x = samples.inputs()[l];
        int count = x.cols();
        return PsdSolver.dataSpace(x.rows(), g, v -> {
            double[] w = new double[count];
            for (int k = 0; k < idx.length; k++) {
                w[idx[k]] = v[k] * di[k];
            }
            return MatOps.gemv(1, x, false, w, 0, null);
        }, u -> {
            double[] all2 = MatOps.gemv(1, x, true, u, 0, null);
            double[] w = new double[idx.length];
            for (int k = 0; k < idx.length; k++) {
                w[k] = all2[idx[k]] * di[k];
            }
            return w;
        }, "unit " + (i + 1) + " of layer " + (l + 1));
    }

    @Override
    public double[] multiply(double[] v) {
        return byLayer(check(v), (l, block) -> {
            Matrix x = samples.inputs()[l];
            Matrix d = samples.errors()[l];
            Matrix vx = MatOps.multiply(block, x);
            MatOps.hadamard(vx, d, vx);
            MatOps.hadamard(vx, d, vx);
            return MatOps.gemm(1, vx, false, x, true, 0, null);
        });
    }

    @Override
    public double[] solve(double[] g, double damping) {
        return byLayer(checkSolve(g, damping), (l, block) -> {
            Matrix res = new Matrix(block.rows(), block.cols());
            for (int i = 0; i < block.rows(); i++) {
                double[] xi = solver(l, i).solve(damping, block.row(i));
                for (int r = 0; r < xi.length; r++) {
                    res.set(i, r, xi[r]);
                }
            }
            return res;
        });
    }

    /** Σ over units of each unit's data-space kernel (falls back to per-sample solves when a layer is primal). */
    @Override
    public Matrix kernel(CurvatureStatistics k, double damping) {
        requireDamping(damping);
        for (int l = 0; l < samples.layers(); l++) {
            if (!dual(l)) {
                return kernelBySolves(k, damping);
            }
        }
        int kn = k.count();
        Matrix out = new Matrix(kn, kn);
        for (int l = 0; l < samples.layers(); l++) {
            Matrix xkk = MatOps.syrk(1, k.inputs()[l], true, 0, null);
            Matrix xks = MatOps.gemm(1, k.inputs()[l], true, samples.inputs()[l], false, 0, null);
            for (int i = 0; i < samples.errors()[l].rows(); i++) {
                double[] dk = row(k.errors()[l], i);
                double[] ds = row(samples.errors()[l], i);
                Matrix gk = xkk.copy();
                MatOps.scaleColumnsInPlace(gk, dk);
                MatOps.scaleRowsInPlace(gk, dk);
                int[] idx = active(l, i);
                double[] dsa = new double[idx.length];
                for (int q = 0; q < idx.length; q++) {
                    dsa[q] = ds[idx[q]];
                }
                Matrix c = xks.selectColumns(idx);
                MatOps.scaleColumnsInPlace(c, dsa);
                MatOps.scaleRowsInPlace(c, dk);
                MatOps.axpy(1, dualSolver(l, i).kernel(gk, c, damping), out);
                solvers[l][i] = null; // do not keep K x K eigenvectors for every unit of a wide network
            }
        }
        return out;
    }

    @Override
    public Matrix toDense() {
        requireDenseSize("UnitWise.toDense", size());
        Matrix f = new Matrix(size(), size());
        for (int l = 0; l < samples.layers(); l++) {
            int n = samples.errors()[l].rows();
            int o = samples.offset(l);
            for (int i = 0; i < n; i++) {
                Matrix s = unitSamples(l, i);
                Matrix b = MatOps.syrk(1, s, false, 0, null);
                for (int c = 0; c < b.cols(); c++) {
                    for (int r = 0; r < b.rows(); r++) {
                        f.set(o + i + r * n, o + i + c * n, b.get(r, c));
                    }
                }
            }
        }
        return f;
    }

    @Override
    public long bytes() {
        long b = sampleBytes(samples);
        for (PsdSolver[] layer : solvers) {
            b += solverBytes(layer);
        }
        return b;
    }
}
