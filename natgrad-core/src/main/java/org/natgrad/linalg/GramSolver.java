package org.natgrad.linalg;

import java.util.function.UnaryOperator;

/**
 * The data-space {@link PsdSolver} of A = S S^T (n x n) known only through its samples S (n x K,
 * applied as operators) and their K x K Gram matrix Γ = S^T S = V diag(λ) V^T (math.md §4.2), for
 * K &lt; n. With a shift ρ &gt; 0 it is the Sherman–Morrison–Woodbury identity
 * (A + ρI)^{-1} g = (g − S V diag(1/(λ+ρ)) V^T S^T g)/ρ; with ρ = 0 the Moore–Penrose solution
 * A^+ g = S V diag(1/λ²) V^T S^T g (λ above the relative cut-off). Costs one S^T and one S
 * application plus O(K²) per right-hand side, after one K³ eigendecomposition; nothing n x K is
 * stored. Matrices are solved column by column.
 */
public final class GramSolver extends AbstractPsdSolver {
    private final UnaryOperator<double[]> s;
    private final UnaryOperator<double[]> st;
    private final Matrix v;
    private final double[] lambda;

    /**
     * @param n the size of A
     * @param gram S^T S (K x K)
     * @param s w (length K) to S w (length n)
     * @param st g (length n) to S^T g (length K)
     * @param what names A in error messages
     */
    GramSolver(int n, Matrix gram, UnaryOperator<double[]> s, UnaryOperator<double[]> st, String what) {
        super(n, InverseStrategy.EIGEN);
        SymmetricEigen e = SymmetricEigen.decompose(gram).orElseThrow(() ->
                new ArithmeticException("eigendecomposition of the Gram matrix of " + what + " (" + gram.shape()
                        + ") failed"));
        this.v = e.vectors();
        this.lambda = e.values().clone();
        for (int i = 0; i < lambda.length; i++) {
            lambda[i] = Math.max(lambda[i], 0);
        }
        this.s = s;
        this.st = st;
    }

    @Override
    public long bytes() {
        return 8L * (v.size() + lambda.length) + cachedBytes();
    }

    /** The Woodbury coefficients: −1/(ρ(λ+ρ)) for ρ &gt; 0, 1/λ² (λ above the cut-off) for ρ = 0. */
    private double[] coefficients(double rho) {
        double c = PsdSolver.cutoff(lambda);
        double[] f = new double[lambda.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = rho > 0 ? -1 / (rho * (lambda[i] + rho)) : (lambda[i] > c ? 1 / (lambda[i] * lambda[i]) : 0);
        }
        return f;
    }

    /** (A + ρI)^{-1} g (ρ &gt; 0) or A^+ g (ρ = 0) for g of length n (a new array). */
    @Override
    public double[] solve(double rho, double[] g) {
        requireShift(rho);
        if (g.length != n) {
            throw new IllegalArgumentException("PsdSolver.solve: factor is " + n + "x" + n + ", right-hand side has "
                    + g.length + " entries");
        }
        double[] w = MatOps.gemv(1, v, true, st.apply(g), 0, null);
        double[] f = coefficients(rho);
        for (int i = 0; i < w.length; i++) {
            w[i] *= f[i];
        }
        double[] x = s.apply(MatOps.gemv(1, v, false, w, 0, null));
        if (rho > 0) {
            for (int i = 0; i < x.length; i++) {
                x[i] += g[i] / rho;
            }
        }
        return x;
    }

    @Override
    public Matrix solve(double rho, Matrix b) {
        return columnwise(b, g -> solve(rho, g));
    }

    @Override
    public Matrix solveRight(double rho, Matrix b) {
        return solve(rho, b.transpose()).transpose();
    }

    @Override
    public Matrix multiply(Matrix b) {
        return columnwise(b, g -> s.apply(st.apply(g)));
    }

    /** The inverse column by column (kept for the last shift by {@link #inverse}). */
    @Override
    Matrix compute(double rho) {
        return solve(rho, Matrix.identity(n));
    }

    private Matrix columnwise(Matrix b, UnaryOperator<double[]> f) {
        requireRows(b);
        Matrix out = new Matrix(n, b.cols());
        for (int j = 0; j < b.cols(); j++) {
            System.arraycopy(f.apply(b.column(j)), 0, out.data(), j * n, n);
        }
        return out;
    }

    /**
     * S_k^T (A + ρI)^{-1} S_k for other samples S_k given by G_k = S_k^T S_k (K_k x K_k) and
     * C = S_k^T S (K_k x K): (G_k − C V diag(1/(λ+ρ)) V^T C^T)/ρ, or C V diag(1/λ²) V^T C^T for ρ = 0
     * (a new symmetric K_k x K_k matrix).
     */
    public Matrix kernel(Matrix gk, Matrix cross, double rho) {
        requireShift(rho);
        Matrix cv = MatOps.multiply(cross, v);
        Matrix scaled = MatOps.scaleColumnsInPlace(cv.copy(), coefficients(rho));
        Matrix out = MatOps.gemm(1, scaled, false, cv, true, 0, null);
        if (rho > 0) {
            MatOps.axpy(1 / rho, gk, out);
        }
        return MatOps.symmetrizeInPlace(out);
    }
}
