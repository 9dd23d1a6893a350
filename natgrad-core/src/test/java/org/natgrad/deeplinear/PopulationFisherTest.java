package org.natgrad.deeplinear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Cholesky;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.nn.Backprop;
import org.natgrad.nn.Network;
import org.natgrad.nn.Trace;
import org.natgrad.random.Rng;

/** Check B1 (Eq. 22 blocks, brute-force Fisher from a natgrad Network) and the rank of F (B3). */
class PopulationFisherTest {

    private static final int[][] ARCHS = {Fixtures.SQUARE, Fixtures.WIDENING, Fixtures.CONTRACTING,
            Fixtures.EXPANDING, Fixtures.BOTTLENECK};

    @Test
    void b1Eq22BlocksAreBlocksOfPhiTKPhi() {
        for (int[] arch : ARCHS) {
            DeepLinearModel m = Fixtures.model(arch, 31);
            Matrix f = PopulationFisher.dense(m);
            for (int i = 1; i <= m.depth(); i++) {
                for (int j = 1; j <= m.depth(); j++) {
                    Matrix blk = PopulationFisher.block(m, i, j);
                    assertEquals(0, MatOps.relativeError(blk, PopulationFisher.blockOf(m, f, i, j)), 1e-8,
                            "block " + i + "," + j + " of " + java.util.Arrays.toString(arch));
                }
            }
            assertEquals(0, MatOps.relativeError(PopulationFisher.fromBlocks(m), f), 1e-8);
            // off-diagonal blocks are not zero
            assertTrue(PopulationFisher.block(m, 1, 2).frobeniusNorm() > 1e-3 * f.frobeniusNorm());
            // Φ_i is the Jacobian of vec(W) with respect to vec(W_i): vec(A_i X B_i) = Φ_i vec(X)
            Matrix x = Fixtures.gaussian(arch[1], arch[0], 1, new Rng(2));
            Matrix lhs = MatOps.multiply(MatOps.multiply(m.A(1), x), m.B(1)).vec();
            assertEquals(0, MatOps.relativeError(MatOps.multiply(PopulationFisher.phi(m, 1), x.vec()), lhs), 1e-13);
        }
    }

    @Test
    void gradientIsPhiTransposeTimesTotalGradient() {
        for (int[] arch : ARCHS) {
            DeepLinearModel m = Fixtures.model(arch, 32);
            double[] g = PopulationFisher.gradientFlat(m);
            assertEquals(0, MatOps.relativeError(Matrix.column(g), Fixtures.flat(m, m.gradients())), 1e-12);
        }
    }

    /**
     * B1 exact: F = E_x[J_x^T Σ̃^{-1} J_x], with J_x the network's output Jacobian. Since J_x is
     * linear in x, the expectation over x ~ (0, Σ) is the sum over the n_0 columns l_k of chol(Σ);
     * J_x^T p is one backward pass of the output error p, and Σ̃^{-1} = Σ_r p_r p_r^T over the
     * columns of chol(Σ̃^{-1}).
     */
    @Test
    void b1FisherFromNetworkBackwardOnUnitErrors() {
        for (int[] arch : ARCHS) {
            DeepLinearModel m = Fixtures.model(arch, 33);
            Network net = m.toNetwork();
            Matrix ls = Cholesky.decompose(m.sigma()).orElseThrow().lower();
            Matrix lp = Cholesky.decompose(m.outputPrecision()).orElseThrow().lower();
            int p = m.parameterCount();
            Matrix f = new Matrix(p, p);
            Trace trace = net.forward(ls); // the n_0 columns of chol(Σ) as a batch
            for (int r = 0; r < lp.cols(); r++) {
                Matrix err = new Matrix(lp.rows(), ls.cols());
                for (int k = 0; k < ls.cols(); k++) {
                    for (int q = 0; q < lp.rows(); q++) {
                        err.set(q, k, lp.get(q, r));
                    }
                }
                Backprop bp = net.backward(trace, err, false);
                Matrix g = perExampleGradients(trace, bp, p);
                MatOps.syrk(1, g, false, 1, f);
            }
            assertEquals(0, MatOps.relativeError(f, PopulationFisher.fromBlocks(m)), 1e-10, java.util.Arrays.toString(arch));
        }
    }

    /** B1 exact, a second route: J_x by central differences of the network output (exact: linear in each weight). */
    @Test
    void b1FisherFromFiniteDifferenceJacobians() {
        DeepLinearModel m = Fixtures.model(Fixtures.WIDENING, 34);
        Network net = m.toNetwork();
        Matrix ls = Cholesky.decompose(m.sigma()).orElseThrow().lower();
        int p = m.parameterCount();
        int nl = m.width(m.depth());
        double h = 1e-2;
        double[] theta = net.parameters().toFlat();
        Matrix f = new Matrix(p, p);
        for (int k = 0; k < ls.cols(); k++) {
            Matrix x = ls.columns(k, k + 1);
            Matrix jac = new Matrix(nl, p);
            for (int a = 0; a < p; a++) {
                double[] tp = theta.clone();
                tp[a] += h;
                net.parameters().setFromFlat(tp);
                Matrix up = net.predict(x);
                tp[a] -= 2 * h;
                net.parameters().setFromFlat(tp);
                Matrix dn = net.predict(x);
                for (int q = 0; q < nl; q++) {
                    jac.set(q, a, (up.get(q, 0) - dn.get(q, 0)) / (2 * h));
                }
            }
            net.parameters().setFromFlat(theta);
            MatOps.axpy(1, MatOps.multiply(MatOps.multiplyTransA(jac, m.outputPrecision()), jac), f);
        }
        assertEquals(0, MatOps.relativeError(f, PopulationFisher.dense(m)), 1e-9);
    }

    /**
     * B1 Monte Carlo: x ~ N(0, Σ), y ~ N(x_L, Σ̃) from the model, F_S = (1/S) Σ g g^T with g the
     * per-example gradient of the negative log-likelihood from Network.backward. The expected squared
     * Frobenius error is (E‖g‖⁴ − ‖F‖²_F)/S (because Σ_ab (g_a g_b)² = ‖g‖⁴); we require the observed
     * squared error below 4 times its estimate, and a relative Frobenius error below 3 % at S = 1e5.
     */
    @Test
    void b1MonteCarloFisherWithModelSampledOutputs() {
        DeepLinearModel m = Fixtures.model(Fixtures.WIDENING, 35);
        Network net = m.toNetwork();
        Gaussian lik = Gaussian.withCovariance(m.outputCovariance());
        Matrix ls = Cholesky.decompose(m.sigma()).orElseThrow().lower();
        int p = m.parameterCount();
        int chunk = 20_000;
        int chunks = 5;
        int s = chunk * chunks;
        Rng rng = new Rng(77);
        Matrix f = new Matrix(p, p);
        double norm4 = 0;
        for (int c = 0; c < chunks; c++) {
            Matrix x = MatOps.multiply(ls, Fixtures.gaussian(m.width(0), chunk, 1, rng));
            Trace trace = net.forward(x);
            Matrix y = lik.sample(trace.output(), rng);
            Backprop bp = net.backward(trace, lik.outputError(trace.output(), y), false);
            Matrix g = perExampleGradients(trace, bp, p);
            MatOps.syrk(1.0 / s, g, false, 1, f);
            double[] gd = g.data();
            for (int k = 0; k < chunk; k++) {
                double sq = 0;
                for (int a = k * p; a < (k + 1) * p; a++) {
                    sq += gd[a] * gd[a];
                }
                norm4 += sq * sq / s;
            }
        }
        Matrix exact = PopulationFisher.dense(m);
        double err2 = Math.pow(MatOps.subtract(f, exact, null).frobeniusNorm(), 2);
        double expected2 = (norm4 - Math.pow(exact.frobeniusNorm(), 2)) / s;
        double rel = Math.sqrt(err2) / exact.frobeniusNorm();
        assertTrue(err2 < 4 * expected2, "MC error² " + err2 + " vs expected " + expected2);
        assertTrue(rel < 0.03, "relative MC error " + rel);
    }

    /** Per-example gradients vec(δ_i[:,m] x_{i-1}[:,m]^T) stacked over layers: P x M. */
    static Matrix perExampleGradients(Trace trace, Backprop bp, int p) {
        int mCount = trace.batchSize();
        Matrix g = new Matrix(p, mCount);
        double[] gd = g.data();
        for (int col = 0; col < mCount; col++) {
            int o = col * p;
            for (int layer = 0; layer < trace.layers(); layer++) {
                Matrix x = trace.input(layer);
                Matrix d = bp.error(layer);
                double[] xd = x.data();
                double[] dd = d.data();
                int nx = x.rows();
                int nd = d.rows();
                for (int c = 0; c < nx; c++) {
                    double xv = xd[c + col * nx];
                    for (int r = 0; r < nd; r++) {
                        gd[o++] = dd[r + col * nd] * xv;
                    }
                }
            }
        }
        return g;
    }

    /**
     * B3 (rank part): rank F = dim of the tangent space of n_L x n_0 matrices of rank r, that is
     * r (n_0 + n_L − r) with r the smallest width; this is n_0 n_L < P for nets whose bottleneck
     * is min(n_0, n_L).
     */
    @Test
    void b3RankOfFisherIsTangentDimension() {
        for (int[] arch : ARCHS) {
            DeepLinearModel m = Fixtures.model(arch, 36);
            int r = java.util.Arrays.stream(arch).min().orElseThrow();
            int n0 = arch[0];
            int nl = arch[arch.length - 1];
            int expected = r * (n0 + nl - r);
            SymmetricEigen e = SymmetricEigen.decompose(PopulationFisher.dense(m)).orElseThrow();
            assertEquals(expected, e.rank(1e-10), java.util.Arrays.toString(arch));
            assertEquals(expected, Projections.tangentDimension(m));
            assertTrue(expected < m.parameterCount());
            if (r == Math.min(n0, nl)) {
                assertEquals(n0 * nl, expected);
            }
        }
    }
}
