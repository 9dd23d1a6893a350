package org.natgrad.estimate;

import org.natgrad.linalg.Matrix;

/**
 * The analytic infinite-width kernels of a ReLU MLP in the NTK parameterization (math.md §4.5),
 * u_l = (σ_w/√M_{l-1}) W_l h_{l-1} + σ_b b_l, h_l = ReLU(u_l), l = 1..L, output u_L (one output;
 * with C outputs the kernel is Θ ⊗ I_C). No 1/N factor. For inputs x, x' (columns of X):
 * Σ^(1) = σ_w² x^T x'/M_0 + σ_b², A^(0) = x^T x'/M_0; per layer, with ϱ = Σ_xx'/√(Σ_xx Σ_x'x'),
 * A^(l) = √(Σ_xx Σ_x'x')/(2π) (√(1−ϱ²) + (π − arccos ϱ) ϱ), Ȧ^(l) = (π − arccos ϱ)/(2π),
 * Σ^(l+1) = σ_w² A^(l) + σ_b²; backward B^(L) = 1, B^(l) = σ_w² B^(l+1) Ȧ^(l); and
 * Θ_l = B^(l) (σ_w² A^(l-1) + σ_b²), Θ = Σ_l Θ_l.
 *
 * @param layers Θ_l per layer (N x N)
 * @param total  Θ
 */
public record ReluKernels(Matrix[] layers, Matrix total) {

    /** The kernels of depth L on inputs X (M_0 x N). */
    public static ReluKernels of(Matrix x, int depth, double sigmaW2, double sigmaB2) {
        if (depth < 1) {
            throw new IllegalArgumentException("ReluKernels: depth must be >= 1, got " + depth);
        }
        if (!(sigmaW2 > 0) || !(sigmaB2 >= 0)) {
            throw new IllegalArgumentException("ReluKernels: need sigma_w^2 > 0 and sigma_b^2 >= 0, got " + sigmaW2
                    + " and " + sigmaB2);
        }
        int n = x.cols();
        double m0 = x.rows();
        Matrix[] a = new Matrix[depth];     // A^(l), l = 0..L-1
        Matrix[] aDot = new Matrix[depth];  // Ȧ^(l), l = 1..L-1 (index l)
        a[0] = new Matrix(n, n);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int r = 0; r < x.rows(); r++) {
                    s += x.get(r, i) * x.get(r, j);
                }
                a[0].set(i, j, s / m0);
            }
        }
        Matrix sigma = affine(a[0], sigmaW2, sigmaB2);
        for (int l = 1; l < depth; l++) {
            a[l] = new Matrix(n, n);
            aDot[l] = new Matrix(n, n);
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    double sii = sigma.get(i, i);
                    double sjj = sigma.get(j, j);
                    double norm = Math.sqrt(sii * sjj);
                    double rho = norm > 0 ? Math.max(-1, Math.min(1, sigma.get(i, j) / norm)) : 0;
                    double ac = Math.acos(rho);
                    a[l].set(i, j, norm / (2 * Math.PI) * (Math.sqrt(1 - rho * rho) + (Math.PI - ac) * rho));
                    aDot[l].set(i, j, (Math.PI - ac) / (2 * Math.PI));
                }
            }
            sigma = affine(a[l], sigmaW2, sigmaB2);
        }
        Matrix[] theta = new Matrix[depth];
        Matrix b = Matrix.filled(n, n, 1);
        Matrix total = new Matrix(n, n);
        for (int l = depth; l >= 1; l--) {
            if (l < depth) {
                Matrix nb = new Matrix(n, n);
                for (int q = 0; q < n * n; q++) {
                    nb.data()[q] = sigmaW2 * b.data()[q] * aDot[l].data()[q];
                }
                b = nb;
            }
            Matrix t = affine(a[l - 1], sigmaW2, sigmaB2);
            for (int q = 0; q < n * n; q++) {
                t.data()[q] *= b.data()[q];
            }
            theta[l - 1] = t;
            for (int q = 0; q < n * n; q++) {
                total.data()[q] += t.data()[q];
            }
        }
        return new ReluKernels(theta, total);
    }

    private static Matrix affine(Matrix a, double w, double b) {
        Matrix out = new Matrix(a.rows(), a.cols());
        for (int q = 0; q < out.size(); q++) {
            out.data()[q] = w * a.data()[q] + b;
        }
        return out;
    }
}
