package org.natgrad.linalg;

/**
 * The SHERMAN_MORRISON {@link PsdSolver} of A = S S^T from its samples S (n x N, kept):
 * (A + sI)^{-1} built from (sI)^{-1} = I/s by one Sherman–Morrison update per sample column u,
 * B ← B − (B u)(B u)^T / (1 + u^T B u). Exact in exact arithmetic; costs 2 N n² per shift; needs a
 * shift &gt; 0 (shift 0 is an {@link IllegalArgumentException}).
 */
final class ShermanMorrisonSolver extends AbstractPsdSolver {
    private final Matrix samples;

    ShermanMorrisonSolver(Matrix samples) {
        super(samples.rows(), InverseStrategy.SHERMAN_MORRISON);
        this.samples = samples;
    }

    @Override
    public long bytes() {
        return cachedBytes(); // the samples are the caller's
    }

    @Override
    public Matrix multiply(Matrix b) {
        requireRows(b);
        return MatOps.multiply(samples, MatOps.multiplyTransA(samples, b));
    }

    @Override
    Matrix compute(double shift) {
        if (shift == 0) {
            throw new IllegalArgumentException("PsdSolver: Sherman–Morrison needs damping > 0 (it starts from "
                    + "(damping I)^-1); use EIGEN or CHOLESKY for pseudo-inverses");
        }
        Matrix b = MatOps.scaleInPlace(1 / shift, Matrix.identity(n));
        double[] bd = b.data();
        double[] u = new double[n];
        double[] bu = new double[n];
        double[] sd = samples.data();
        for (int c = 0; c < samples.cols(); c++) {
            System.arraycopy(sd, c * n, u, 0, n);
            MatOps.gemv(1, b, false, u, 0, bu);
            double denom = 1;
            for (int i = 0; i < n; i++) {
                denom += u[i] * bu[i];
            }
            double inv = 1 / denom;
            for (int j = 0; j < n; j++) {
                double bj = bu[j] * inv;
                int off = j * n;
                for (int i = 0; i < n; i++) {
                    bd[off + i] -= bu[i] * bj;
                }
            }
        }
        return MatOps.symmetrizeInPlace(b);
    }
}
