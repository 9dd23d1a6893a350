package org.natgrad.curvature;

import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.linalg.EigenSolver;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.PsdSolver;
import org.natgrad.nn.ParamVector;

/**
 * The exact Fisher blocks F_lm = S_l S_m^T for |l − m| ≤ 1, zero elsewhere (math.md §4.4, BTD).
 * With U = blkdiag(S_1..S_L) (P x LK) and T the L x L tri-diagonal matrix of ones, G = U (T ⊗ I_K) U^T,
 * which gives the data-space forms used when K·L &lt; P:
 * <ul>
 *   <li>ρ &gt; 0: (G + ρI)^{-1} g = (g − U (ρI + (T⊗I)Γ)^{-1} (T⊗I) U^T g)/ρ, Γ = blkdiag(S_l^T S_l)
 *       (an LK x LK solve; valid for any T);</li>
 *   <li>ρ = 0: G^+ g = U Γ^{-1} (T^{-1}⊗I) Γ^{-1} U^T g, which needs T invertible (L ≢ 2 mod 3) and
 *       every Γ_l invertible (math.md's conditions); otherwise an {@link ArithmeticException} says so.</li>
 * </ul>
 * Otherwise (P ≤ LK) the dense P x P matrix is eigendecomposed. Unlike F, the block tri-diagonal
 * truncation is <b>indefinite</b> in general (negative eigenvalues appear already on the tiny test
 * networks), so G + ρI can be singular for some ρ &gt; 0; a solve then throws an
 * {@link ArithmeticException} naming the eigenvalue.
 */
public final class BlockTridiagonal extends AbstractCurvature {
    private org.natgrad.linalg.SymmetricEigen primal;
    private Matrix[] gramInverse;
    private Matrix tInverse;

    BlockTridiagonal(CurvatureStatistics samples, ParamVector template) {
        super(CurvatureChoice.BLOCK_TRIDIAGONAL, samples, template);
        this.whole = samples.layers() <= 2 ? new DenseCurvature(samples, template) : null;
    }

    /** For L ≤ 2 every block is kept: G = F, solved as {@link DenseCurvature}. */
    private final DenseCurvature whole;

    /** True when solves use the LK x LK data-space form. */
    public boolean usesDualForm() {
        return (long) samples.count() * samples.layers() < size();
    }

    /** T: ones on the main and the first off-diagonals, L x L. */
    public static Matrix tridiagonalOnes(int layers) {
        Matrix t = new Matrix(layers, layers);
        for (int i = 0; i < layers; i++) {
            for (int j = Math.max(0, i - 1); j <= Math.min(layers - 1, i + 1); j++) {
                t.set(i, j, 1);
            }
        }
        return t;
    }

    /** 1^T T^{-1} 1, math.md's α of BTD; NaN when T is singular (L = 2, 5, 8, ...). */
    public static double alpha(int layers) {
        Matrix t = tridiagonalOnes(layers);
        Matrix inv = LinearSolve.inverse(t);
        if (inv == null) {
            return Double.NaN;
        }
        double s = 0;
        for (double v : inv.data()) {
            s += v;
        }
        return s;
    }

    @Override
    public double[] multiply(double[] v) {
        check(v);
        int layers = samples.layers();
        double[][] w = new double[layers][];
        for (int l = 0; l < layers; l++) {
            w[l] = samples.applyT(l, samples.block(v, l));
        }
        double[] out = new double[v.length];
        for (int l = 0; l < layers; l++) {
            double[] sum = new double[samples.count()];
            for (int m = Math.max(0, l - 1); m <= Math.min(layers - 1, l + 1); m++) {
                for (int k = 0; k < sum.length; k++) {
                    sum[k] += w[m][k];
                }
            }
            Matrix b = samples.apply(l, sum);
            System.arraycopy(b.data(), 0, out, samples.offset(l), b.size());
        }
        return out;
    }

    @Override
    public double[] solve(double[] g, double damping) {
        checkSolve(g, damping);
        if (whole != null) {
            return whole.solve(g, damping);
        }
        if (!usesDualForm() || (damping == 0 && !undampedDualApplies() && size() <= DenseFisher.MAX_PARAMETERS)) {
            if (primal == null) {
                Matrix dense = toDense();
                primal = org.natgrad.linalg.SymmetricEigen.decompose(dense).orElseThrow(() ->
                        new ArithmeticException("BlockTridiagonal: eigendecomposition of " + dense.shape() + " failed"));
            }
            double cut = PsdSolver.REL_TOL * primal.spectralRadius();
            for (double v : primal.values()) {
                if (damping > 0 && !(Math.abs(v + damping) > cut)) {
                    throw new ArithmeticException("BlockTridiagonal: G + " + damping + " I is singular (G has the "
                            + "eigenvalue " + v + "; the block tri-diagonal matrix is indefinite in general)");
                }
            }
            Matrix inv = damping > 0 ? primal.apply(v -> 1 / (v + damping)) : primal.pseudoInverse(PsdSolver.REL_TOL);
            return MatOps.gemv(1, inv, false, g, 0, null);
        }
        int layers = samples.layers();
        int k = samples.count();
        double[] ug = new double[layers * k];
        for (int l = 0; l < layers; l++) {
            System.arraycopy(samples.applyT(l, samples.block(g, l)), 0, ug, l * k, k);
        }
        double[] y;
        if (damping > 0) {
            Matrix sys = dampedSystem(damping);
            double[] rhs = applyT(ug);
            double[] z = LinearSolve.solve(sys, rhs);
            if (z == null) {
                throw new ArithmeticException("BlockTridiagonal: the " + sys.shape() + " data-space system is singular");
            }
            y = z;
            for (int i = 0; i < y.length; i++) {
                y[i] = -y[i] / damping;
            }
        } else {
            y = pseudoCoefficients(ug);
        }
        double[] out = new double[g.length];
        for (int l = 0; l < layers; l++) {
            double[] yl = java.util.Arrays.copyOfRange(y, l * k, (l + 1) * k);
            Matrix b = samples.apply(l, yl);
            System.arraycopy(b.data(), 0, out, samples.offset(l), b.size());
        }
        if (damping > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] += g[i] / damping;
            }
        }
        return out;
    }

    /** (T ⊗ I_K) z for z of length LK. */
    private double[] applyT(double[] z) {
        int layers = samples.layers();
        int k = samples.count();
        double[] out = new double[z.length];
        for (int l = 0; l < layers; l++) {
            for (int m = Math.max(0, l - 1); m <= Math.min(layers - 1, l + 1); m++) {
                for (int i = 0; i < k; i++) {
                    out[l * k + i] += z[m * k + i];
                }
            }
        }
        return out;
    }

    /** ρI + (T ⊗ I) Γ, LK x LK. */
    private Matrix dampedSystem(double rho) {
        int layers = samples.layers();
        int k = samples.count();
        Matrix sys = new Matrix(layers * k, layers * k);
        for (int m = 0; m < layers; m++) {
            Matrix gm = samples.gram(m);
            for (int l = Math.max(0, m - 1); l <= Math.min(layers - 1, m + 1); l++) {
                for (int j = 0; j < k; j++) {
                    for (int i = 0; i < k; i++) {
                        sys.add(l * k + i, m * k + j, gm.get(i, j));
                    }
                }
            }
        }
        return MatOps.addDiagonalInPlace(sys, rho);
    }

    /** Γ^{-1} (T^{-1} ⊗ I) Γ^{-1} u (the ρ = 0 coefficients). */
    private double[] pseudoCoefficients(double[] u) {
        prepareInverses();
        int layers = samples.layers();
        int k = samples.count();
        double[][] a = new double[layers][];
        for (int l = 0; l < layers; l++) {
            a[l] = MatOps.gemv(1, gramInverse[l], false, java.util.Arrays.copyOfRange(u, l * k, (l + 1) * k), 0, null);
        }
        double[] y = new double[layers * k];
        for (int l = 0; l < layers; l++) {
            double[] b = new double[k];
            for (int m = 0; m < layers; m++) {
                double t = tInverse.get(l, m);
                for (int i = 0; i < k; i++) {
                    b[i] += t * a[m][i];
                }
            }
            System.arraycopy(MatOps.gemv(1, gramInverse[l], false, b, 0, null), 0, y, l * k, k);
        }
        return y;
    }

    /** True when T and every per-layer Gram matrix are invertible (the undamped data-space form holds). */
    private boolean undampedDualApplies() {
        try {
            prepareInverses();
            return true;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    private void prepareInverses() {
        if (gramInverse != null) {
            return;
        }
        int layers = samples.layers();
        tInverse = LinearSolve.inverse(tridiagonalOnes(layers));
        if (tInverse == null) {
            throw new ArithmeticException("BlockTridiagonal: the undamped data-space form needs T invertible, but T is "
                    + "singular for L = " + layers + " layers (L = 2, 5, 8, ...); use damping > 0");
        }
        Matrix[] inverses = new Matrix[layers];
        for (int l = 0; l < layers; l++) {
            Matrix g = samples.gram(l);
            EigenSolver sp = PsdSolver.eigen(g, "Gram matrix of layer " + (l + 1));
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            for (double v : sp.values()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (!(min > PsdSolver.REL_TOL * max)) {
                throw new ArithmeticException("BlockTridiagonal: the undamped data-space form needs every per-layer Gram "
                        + "matrix S_l^T S_l invertible, but layer " + (l + 1) + "'s (" + g.shape() + ") has eigenvalues "
                        + "down to " + min + " (largest " + max + "); use damping > 0");
            }
            inverses[l] = sp.inverse(0);
        }
        gramInverse = inverses;
    }

    @Override
    public Matrix kernel(CurvatureStatistics kk, double damping) {
        requireDamping(damping);
        if (whole != null) {
            return whole.kernel(kk, damping);
        }
        if (!usesDualForm() || (damping == 0 && !undampedDualApplies() && size() <= DenseFisher.MAX_PARAMETERS)) {
            return kernelBySolves(kk, damping);
        }
        int layers = samples.layers();
        int k = samples.count();
        int kn = kk.count();
        Matrix[] c = new Matrix[layers];
        Matrix ut = new Matrix(layers * k, kn);
        for (int l = 0; l < layers; l++) {
            c[l] = CurvatureStatistics.cross(kk, l, samples);
            for (int j = 0; j < kn; j++) {
                for (int i = 0; i < k; i++) {
                    ut.set(l * k + i, j, c[l].get(j, i));
                }
            }
        }
        Matrix out = new Matrix(kn, kn);
        if (damping > 0) {
            Matrix sys = dampedSystem(damping);
            Matrix gk = kk.gram();
            Matrix rhs = new Matrix(layers * k, kn);
            for (int j = 0; j < kn; j++) {
                System.arraycopy(applyT(ut.column(j)), 0, rhs.data(), j * layers * k, layers * k);
            }
            Matrix z = LinearSolve.solve(sys, rhs);
            if (z == null) {
                throw new ArithmeticException("BlockTridiagonal: the data-space system is singular");
            }
            Matrix corr = MatOps.gemm(1, ut, true, z, false, 0, null);
            for (int j = 0; j < kn; j++) {
                for (int i = 0; i < kn; i++) {
                    out.set(i, j, (gk.get(i, j) - corr.get(i, j)) / damping);
                }
            }
        } else {
            for (int j = 0; j < kn; j++) {
                double[] y = pseudoCoefficients(ut.column(j));
                double[] col = MatOps.gemv(1, ut, true, y, 0, null);
                System.arraycopy(col, 0, out.data(), j * kn, kn);
            }
        }
        return MatOps.symmetrizeInPlace(out);
    }

    @Override
    public Matrix toDense() {
        int p = size();
        requireDenseSize("BlockTridiagonal.toDense", p);
        Matrix f = samples.fisher();
        for (int l = 0; l < samples.layers(); l++) {
            for (int m = 0; m < samples.layers(); m++) {
                if (Math.abs(l - m) > 1) {
                    int ol = samples.offset(l);
                    int om = samples.offset(m);
                    for (int j = 0; j < samples.layerSize(m); j++) {
                        for (int i = 0; i < samples.layerSize(l); i++) {
                            f.set(ol + i, om + j, 0);
                        }
                    }
                }
            }
        }
        return f;
    }

    @Override
    public long bytes() {
        long b = sampleBytes(samples) + (primal == null ? 0 : 8L * primal.vectors().size());
        if (gramInverse != null) {
            for (Matrix m : gramInverse) {
                b += 8L * m.size();
            }
        }
        return b;
    }
}
