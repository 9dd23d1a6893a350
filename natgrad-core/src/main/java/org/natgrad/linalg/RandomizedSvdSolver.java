package org.natgrad.linalg;

import org.natgrad.random.Rng;

/**
 * The RANDOMIZED_SVD {@link PsdSolver} of A = S S^T (S n x N, not kept): A ≈ V diag(e) V^T with V
 * n x k' orthonormal from a randomized range finder on S (Gaussian test matrix,
 * {@link PsdSolver#RANDOMIZED_POWER_ITERATIONS} power iterations with re-orthonormalization), keeping
 * the leading k' = {@link PsdSolver#RANDOMIZED_RANK} directions. Then
 * (A + sI)^{-1} ≈ V diag(1/(e+s)) V^T + (I − V V^T)/s and A^+ ≈ V diag(1/e) V^T. When N or n is at
 * most rank + oversampling the thin SVD of S is used instead, which is exact.
 */
final class RandomizedSvdSolver extends CachedInverseSolver {
    private final Matrix v;
    private final double[] e;

    RandomizedSvdSolver(Matrix samples, long seed) {
        super(samples.rows());
        int bigN = samples.cols();
        int k = RANDOMIZED_RANK + RANDOMIZED_OVERSAMPLING;
        Matrix basis;
        double[] sv;
        int keep;
        if (k >= n || k >= bigN) {
            Svd svd = Svd.decompose(samples).orElseThrow(() ->
                    new ArithmeticException("PsdSolver: SVD of " + samples.shape() + " samples failed"));
            basis = svd.u();
            sv = svd.singularValues();
            keep = sv.length; // exact: keep everything
        } else {
            Rng rng = new Rng(seed);
            Matrix omega = new Matrix(n, k);
            rng.fillGaussian(omega.data());
            Matrix y = applyA(samples, omega);
            for (int q = 0; q < RANDOMIZED_POWER_ITERATIONS; q++) {
                y = applyA(samples, Qr.orthonormalColumns(y));
            }
            Matrix q = Qr.orthonormalColumns(y);
            Matrix b = MatOps.multiplyTransA(q, samples); // k x N
            Svd svd = Svd.decompose(b).orElseThrow(() ->
                    new ArithmeticException("PsdSolver: SVD of the " + b.shape() + " sketch failed"));
            basis = MatOps.multiply(q, svd.u());
            sv = svd.singularValues();
            keep = Math.min(RANDOMIZED_RANK, sv.length);
        }
        this.v = basis.columns(0, keep);
        this.e = new double[keep];
        for (int j = 0; j < keep; j++) {
            e[j] = sv[j] * sv[j];
            if (!Double.isFinite(e[j])) {
                throw new ArithmeticException("PsdSolver: eigenvalue " + j + " of the " + n + "x" + n
                        + " factor overflows (singular value " + sv[j] + " of the samples)");
            }
        }
    }

    private static Matrix applyA(Matrix s, Matrix x) {
        return MatOps.multiply(s, MatOps.multiplyTransA(s, x));
    }

    /** The retained eigenvalues, descending. */
    double[] values() {
        return e.clone();
    }

    @Override
    public InverseStrategy strategy() {
        return InverseStrategy.RANDOMIZED_SVD;
    }

    @Override
    public long bytes() {
        return 8L * (v.size() + e.length) + cachedBytes();
    }

    /** V diag(e) V^T B: A B where rank A ≤ {@link PsdSolver#RANDOMIZED_RANK}. */
    @Override
    public Matrix multiply(Matrix b) {
        requireRows(b);
        Matrix vb = MatOps.multiplyTransA(v, b);
        MatOps.scaleRowsInPlace(vb, e);
        return MatOps.multiply(v, vb);
    }

    @Override
    Matrix compute(double shift) {
        if (shift == 0) {
            double cut = PsdSolver.cutoff(e);
            return spectral(v, e, x -> x > cut ? 1 / x : 0);
        }
        Matrix low = spectral(v, e, x -> 1 / (x + shift) - 1 / shift);
        return MatOps.addDiagonalInPlace(low, 1 / shift);
    }
}
