package org.natgrad.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.curvature.BlockTridiagonal;
import org.natgrad.curvature.Curvature;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.nn.Trace;
import org.natgrad.random.Rng;

/** Checks K1–K9 of math.md §6 (P3) at finite width, with math.md's 1e-8 relative tolerance for identities. */
class NtkTest {
    static final double TOL = 1e-8;

    static Network relu(int m0, int width, int depth, int out, long seed) {
        List<Integer> w = new ArrayList<>();
        w.add(m0);
        for (int l = 1; l < depth; l++) {
            w.add(width);
        }
        w.add(out);
        return Network.dense(w, Activation.RELU, Activation.IDENTITY, false, new Init.Gaussian(Math.sqrt(2)), seed);
    }

    static Matrix inputs(int m0, int n, long seed) {
        Matrix x = new Matrix(m0, n);
        new Rng(seed).fillGaussian(x.data());
        return x;
    }

    static void assertIsotropic(Matrix thetaG, double alpha, double tol, String what) {
        Matrix ref = MatOps.scaleInPlace(alpha, Matrix.identity(thetaG.rows()));
        double rel = MatOps.relativeError(thetaG, ref);
        assertTrue(rel < tol, what + ": ||Theta_G - " + alpha + " I|| rel " + rel);
    }

    /** Residual of the linearized model, J(X) v, from the samples (S = J^T/√N). */
    static double[] jvp(CurvatureStatistics s, double[] v) {
        double[] y = s.applyT(v);
        double r = Math.sqrt(s.examples());
        for (int i = 0; i < y.length; i++) {
            y[i] *= r;
        }
        return y;
    }

    /** ∇L = J^T e / N for the linearized model. */
    static double[] gradient(CurvatureStatistics s, double[] e) {
        double[] v = e.clone();
        double r = 1 / Math.sqrt(s.examples());
        for (int i = 0; i < v.length; i++) {
            v[i] *= r;
        }
        return s.apply(v);
    }

    static double norm2(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return s;
    }

    /** K1: exact NGD, Θ_G = I; one linearized step with η = 1 zeroes the residual. */
    @Test
    void k1ExactNgdIsIsotropicAndConvergesInOneStep() {
        for (int c : new int[]{1, 2}) {
            Network net = relu(10, 48, 3, c, 1);
            Matrix x = inputs(10, 8, 2);
            CurvatureStatistics s = CurvatureStatistics.jacobian(net, x);
            Curvature f = Curvature.of(CurvatureChoice.EXACT, net, s);
            assertIsotropic(f.kernel(s, 0), 1, TOL, "exact C=" + c);
            double[] e = new double[8 * c];
            new Rng(3).fillGaussian(e);
            double[] step = f.solve(gradient(s, e), 0);
            double[] je = jvp(s, step);
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], je[i], 1e-8 * Math.sqrt(norm2(e)), "J F^+ grad = e, so J dθ = -e");
            }
        }
    }

    /** K2: block-diagonal, Θ_G = L I. */
    @Test
    void k2BlockDiagonalGivesL() {
        for (int depth : new int[]{2, 3, 4}) {
            Network net = relu(10, 40, depth, 1, 4);
            Matrix x = inputs(10, 8, 5);
            CurvatureStatistics s = CurvatureStatistics.jacobian(net, x);
            assertIsotropic(Curvature.of(CurvatureChoice.BLOCK_DIAGONAL, net, s).kernel(s, 0), depth, TOL, "BD L=" + depth);
        }
    }

    /** K3: block tri-diagonal, Θ_G = (1^T T^{-1} 1) I: 1 for L = 3, 2 for L = 4. */
    @Test
    void k3BlockTridiagonal() {
        for (int depth : new int[]{3, 4}) {
            Network net = relu(10, 40, depth, 1, 6);
            Matrix x = inputs(10, 8, 7);
            CurvatureStatistics s = CurvatureStatistics.jacobian(net, x);
            Curvature g = Curvature.of(CurvatureChoice.BLOCK_TRIDIAGONAL, net, s);
            assertIsotropic(g.kernel(s, 0), BlockTridiagonal.alpha(depth), TOL, "BTD L=" + depth);
            // the parameter-space solve gives the same function-space step
            double[] e = new double[8];
            new Rng(8).fillGaussian(e);
            double[] je = jvp(s, g.solve(gradient(s, e), 0));
            for (int i = 0; i < e.length; i++) {
                assertEquals(BlockTridiagonal.alpha(depth) * e[i], je[i], 1e-7 * Math.sqrt(norm2(e)));
            }
        }
    }

    /** K4: K-FAC with pseudo-inverse factors: (N(L−1)+1) I when M_0 ≥ N; Forster inputs; raw inputs with M_0 &lt; N. */
    @Test
    void k4Kfac() {
        for (int depth : new int[]{3, 4}) {
            Network net = relu(10, 48, depth, 1, 9);
            Matrix x = inputs(10, 8, 10);
            CurvatureStatistics s = CurvatureStatistics.jacobian(net, x);
            assertIsotropic(Curvature.of(CurvatureChoice.KFAC, net, s).kernel(s, 0), 8 * (depth - 1) + 1, TOL,
                    "K-FAC L=" + depth);
        }
        // M_0 = 4 < N = 12, Forster-transformed inputs: (M_0 + N(L−2) + 1) I = 17 I for L = 3
        Network net = relu(4, 64, 3, 1, 11);
        Matrix raw = inputs(4, 12, 13);
        Matrix forster = forster(raw);
        CurvatureStatistics s = CurvatureStatistics.jacobian(net, forster);
        // the derivation's conditions: every hidden layer's error matrix D_l has rank NC (two inputs that share a ReLU
        // pattern in the last hidden layer would have equal δ and break it; this seed has none)
        for (int l = 0; l < 2; l++) {
            assertEquals(12, org.natgrad.linalg.Svd.decompose(s.errors()[l]).orElseThrow().rank(1e-10), "rank D_" + l);
        }
        assertIsotropic(Curvature.of(CurvatureChoice.KFAC, net, s).kernel(s, 0), 17, 1e-7, "K-FAC Forster");
        // raw inputs: diagonal, not constant: the first layer contributes N × leverage scores
        CurvatureStatistics sr = CurvatureStatistics.jacobian(net, raw);
        Matrix k = Curvature.of(CurvatureChoice.KFAC, net, sr).kernel(sr, 0);
        Matrix px = MatOps.multiply(MatOps.multiplyTransA(raw, org.natgrad.linalg.Inverses.pseudoInverse(
                MatOps.multiplyTransB(raw, raw), 1e-12)), raw); // X^T (X X^T)^{-1} X, N x N
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < 12; j++) {
                double expected = i == j ? 12 * px.get(i, i) + 12 + 1 : 0;
                assertEquals(expected, k.get(i, j), 1e-7 * 17, "raw inputs (" + i + "," + j + ")");
            }
        }
        assertTrue(Isotropy.of(k).diagonalSpread() > 0.01);
    }

    /** Radial isotropic position (Forster): unit-norm columns with X X^T = (N/M_0) I, by alternating normalisations. */
    static Matrix forster(Matrix x) {
        Matrix y = x.copy();
        int m0 = y.rows();
        int n = y.cols();
        for (int it = 0; it < 5000; it++) {
            normalizeColumns(y);
            Matrix a = MatOps.multiplyTransB(y, y);
            SymmetricEigen e = SymmetricEigen.decompose(a).orElseThrow();
            Matrix w = e.apply(v -> Math.sqrt(n / (m0 * v)));
            y = MatOps.multiply(w, y);
        }
        normalizeColumns(y);
        Matrix a = MatOps.multiplyTransB(y, y);
        assertTrue(MatOps.relativeError(a, MatOps.scaleInPlace((double) n / m0, Matrix.identity(m0))) < 1e-10,
                "Forster iteration converged");
        return y;
    }

    static void normalizeColumns(Matrix y) {
        for (int j = 0; j < y.cols(); j++) {
            double s = 0;
            for (int i = 0; i < y.rows(); i++) {
                s += y.get(i, j) * y.get(i, j);
            }
            s = Math.sqrt(s);
            for (int i = 0; i < y.rows(); i++) {
                y.set(i, j, y.get(i, j) / s);
            }
        }
    }

    /** K5: unit-wise (C = 1): diag(1 + #active hidden units); tanh: 1 + Σ_l M_l exactly. */
    @Test
    void k5UnitWise() {
        Network net = relu(10, 48, 3, 1, 13);
        Matrix x = inputs(10, 8, 14);
        CurvatureStatistics s = CurvatureStatistics.jacobian(net, x);
        Matrix k = Curvature.of(CurvatureChoice.UNIT_WISE, net, s).kernel(s, 0);
        Trace t = net.forward(x);
        for (int n = 0; n < 8; n++) {
            int active = 0;
            for (int l = 0; l < 2; l++) {
                for (int i = 0; i < 48; i++) {
                    active += t.preActivation(l).get(i, n) > 0 ? 1 : 0;
                }
            }
            for (int m = 0; m < 8; m++) {
                assertEquals(n == m ? 1 + active : 0, k.get(n, m), TOL * (1 + active), "(" + n + "," + m + ")");
            }
        }
        Isotropy iso = Isotropy.of(k);
        System.out.printf("K5 unit-wise ReLU width 48: alpha %.2f, relative spread %.3f%n", iso.alpha(), iso.diagonalSpread());
        Network tanh = Network.dense(List.of(10, 30, 20, 1), Activation.TANH, Activation.IDENTITY, false,
                new Init.Gaussian(1), 15);
        CurvatureStatistics st = CurvatureStatistics.jacobian(tanh, x);
        assertIsotropic(Curvature.of(CurvatureChoice.UNIT_WISE, tanh, st).kernel(st, 0), 1 + 30 + 20, TOL, "tanh");
    }

    /** K5: the unit-wise relative spread shrinks with width (∼ M^{-1/2}). */
    @Test
    void k5SpreadShrinksWithWidth() {
        Matrix x = inputs(10, 8, 16);
        double[] spread = new double[3];
        int[] widths = {32, 128, 512};
        for (int w = 0; w < widths.length; w++) {
            double sum = 0;
            for (int seed = 0; seed < 4; seed++) {
                Network net = relu(10, widths[w], 3, 1, 100 + seed);
                CurvatureStatistics s = CurvatureStatistics.jacobian(net, x);
                sum += Isotropy.of(Curvature.of(CurvatureChoice.UNIT_WISE, net, s).kernel(s, 0)).diagonalSpread();
            }
            spread[w] = sum / 4;
        }
        System.out.printf("K5 spread vs width %s: %s%n", java.util.Arrays.toString(widths), java.util.Arrays.toString(spread));
        assertTrue(spread[1] < 0.75 * spread[0] && spread[2] < 0.75 * spread[1], java.util.Arrays.toString(spread));
        // ∼ M^{-1/2}: each 4x in width halves it, within a factor 1.5
        assertTrue(spread[0] / spread[2] > 4 / 1.5 && spread[0] / spread[2] < 4 * 1.5, java.util.Arrays.toString(spread));
    }

    /** K6: linearized training with an isotropic G: L_t / L_{t−1} = (1 − αη)², via the parameter-space solves. */
    @Test
    void k6LinearizedLossRatio() {
        Network net = relu(10, 40, 3, 1, 17);
        Matrix x = inputs(10, 8, 18);
        CurvatureStatistics s = CurvatureStatistics.jacobian(net, x);
        for (CurvatureChoice c : List.of(CurvatureChoice.BLOCK_DIAGONAL, CurvatureChoice.KFAC, CurvatureChoice.EXACT)) {
            Curvature g = Curvature.of(c, net, s);
            double alpha = Isotropy.of(g.kernel(s, 0)).alpha();
            double eta = 0.3 / alpha;
            double[] e = new double[8];
            new Rng(19).fillGaussian(e);
            for (int t = 0; t < 4; t++) {
                double before = norm2(e);
                double[] je = jvp(s, g.solve(gradient(s, e), 0));
                for (int i = 0; i < e.length; i++) {
                    e[i] -= eta * je[i];
                }
                assertEquals(0.49, norm2(e) / before, 1e-8, c + " step " + t);
            }
        }
    }

    /** K7: damped exact NGD, e_1 = (I − η Θ(Θ + ρI)^{-1}) e_0, mode by mode. */
    @Test
    void k7DampedExactNgd() {
        Network net = relu(10, 40, 3, 1, 20);
        Matrix x = inputs(10, 8, 21);
        CurvatureStatistics s = CurvatureStatistics.jacobian(net, x);
        Curvature f = Curvature.of(CurvatureChoice.EXACT, net, s);
        Matrix theta = Ntk.of(net, x).total();
        SymmetricEigen eig = SymmetricEigen.decompose(theta).orElseThrow();
        double rho = 0.5 * eig.values()[eig.values().length / 2];
        double eta = 0.7;
        double[] e0 = new double[8];
        new Rng(22).fillGaussian(e0);
        double[] je = jvp(s, f.solve(gradient(s, e0), rho));
        double[] e1 = e0.clone();
        for (int i = 0; i < 8; i++) {
            e1[i] -= eta * je[i];
        }
        double[] c0 = MatOps.gemv(1, eig.vectors(), true, e0, 0, null);
        double[] c1 = MatOps.gemv(1, eig.vectors(), true, e1, 0, null);
        for (int k = 0; k < 8; k++) {
            double lk = eig.values()[k];
            assertEquals((1 - eta * lk / (lk + rho)) * c0[k], c1[k], 1e-8 * Math.sqrt(norm2(e0)), "mode " + k);
        }
        Matrix kg = f.kernel(s, rho);
        Matrix ref = eig.apply(v -> v / (v + rho));
        assertTrue(MatOps.relativeError(kg, ref) < 1e-8);
    }

    /** K8: block-diagonal test predictions, f_∞(X') = f_0(X') − (1/L) Σ_l Θ_l(X', X) Θ_l^{-1} e_0. */
    @Test
    void k8BlockDiagonalTestPrediction() {
        Network net = relu(10, 40, 3, 1, 23);
        Matrix x = inputs(10, 8, 24);
        Matrix xt = inputs(10, 5, 25);
        CurvatureStatistics s = CurvatureStatistics.jacobian(net, x);
        CurvatureStatistics st = CurvatureStatistics.jacobian(net, xt);
        Curvature g = Curvature.of(CurvatureChoice.BLOCK_DIAGONAL, net, s);
        double[] e0 = new double[8];
        new Rng(26).fillGaussian(e0);
        // η = 1/α = 1/L converges in one step: dθ = −(1/L) G_BD^+ ∇L, and f(X') changes by J(X') dθ
        double[] step = g.solve(gradient(s, e0), 0);
        double[] df = st.applyT(step);
        double[] expected = new double[5];
        for (int l = 0; l < 3; l++) {
            // Θ_l(X', X) Θ_l^{-1} = √(N'/N) C_l Γ_l^{-1} with C_l = S'_l^T S_l and Γ_l = S_l^T S_l
            Matrix cross = CurvatureStatistics.cross(st, l, s);
            Matrix inv = org.natgrad.linalg.Inverses.pseudoInverse(s.gram(l), 1e-12);
            double[] v = MatOps.gemv(1, cross, false, MatOps.gemv(1, inv, false, e0, 0, null), 0, null);
            for (int i = 0; i < 5; i++) {
                expected[i] -= Math.sqrt(5.0 / 8) * v[i] / 3;
            }
        }
        for (int i = 0; i < 5; i++) {
            double actual = -Math.sqrt(5.0) * df[i] / 3;
            assertEquals(expected[i], actual, 1e-8 * (1 + Math.abs(expected[i])), "test point " + i);
        }
    }

    /** K9: analytic ReLU kernels vs the empirical NTK-parameterization kernels at large width, O(M^{-1/2}). */
    @Test
    void k9AnalyticReluKernels() {
        int n = 6;
        Matrix x = inputs(8, n, 27);
        normalizeColumns(x); // unit-norm inputs, as the official code
        ReluKernels analytic = ReluKernels.of(x, 3, 2, 0);
        double[] errors = new double[2];
        int[] widths = {256, 4096};
        for (int w = 0; w < 2; w++) {
            double err = 0;
            int seeds = 3;
            for (int seed = 0; seed < seeds; seed++) {
                Network net = relu(8, widths[w], 3, 1, 200 + seed);
                Matrix[] emp = Ntk.of(net, x).ntkParameterization(net, 2);
                for (int l = 0; l < 3; l++) {
                    err += MatOps.relativeError(emp[l], analytic.layers()[l]) / (3 * seeds);
                }
            }
            errors[w] = err;
        }
        System.out.printf("K9 mean relative error of Theta_l at widths 256, 4096: %.4f, %.4f%n", errors[0], errors[1]);
        assertTrue(errors[1] < 0.06, "width 4096 error " + errors[1]);
        assertTrue(errors[1] < errors[0] / 2, java.util.Arrays.toString(errors));
        // the first layer's analytic kernel is exactly B^(1) σ_w² x^T x'/M_0 with B^(1) = σ_w² Ȧ^(1) B^(2)...; Θ = Σ Θ_l
        Matrix sum = analytic.layers()[0].copy();
        MatOps.axpy(1, analytic.layers()[1], sum);
        MatOps.axpy(1, analytic.layers()[2], sum);
        assertTrue(MatOps.relativeError(sum, analytic.total()) < 1e-14);
        // last layer: Θ_L = σ_w² A^(L-1); on the diagonal of unit-norm inputs A^(l) = Σ^(l)/2 = 1/M_0 · ... = x^T x/M_0
        assertEquals(2 * 1.0 / 8, analytic.layers()[2].get(0, 0), 1e-12);
    }

    @Test
    void isotropyFigures() {
        Matrix k = Matrix.ofRows(new double[]{2, 0.1}, new double[]{0.1, 4});
        Isotropy iso = Isotropy.of(k);
        assertEquals(3, iso.alpha(), 1e-15);
        assertEquals(1.0 / 3, iso.diagonalSpread(), 1e-15);
        assertEquals(Math.sqrt(0.02), iso.offDiagonalNorm(), 1e-15);
        assertEquals(Math.sqrt(2 + 0.02) / (3 * Math.sqrt(2)), iso.relativeDeviation(), 1e-15);
        assertEquals(2, iso.minDiagonal());
        assertEquals(4, iso.maxDiagonal());
        k.set(1, 0, Double.NaN);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Isotropy.of(k));
        assertTrue(e.getMessage().contains("(1, 0) is NaN"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Isotropy.of(new Matrix(2, 3)));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ReluKernels.of(k, 0, 2, 0));
    }
}
