package org.natgrad.matrixfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.curvature.DenseFisher;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.statistics.Gradients;

class BatchCurvatureTest {
    private static final int M = 6;

    /**
     * G v against the dense exact Fisher, column by column: 1e-12 relative (Frobenius) for every case;
     * the exact diagonal to 1e-12 tr F per entry.
     */
    @Test
    void ggnEqualsDenseFisherForEveryLikelihoodActivationAndBias() {
        for (Nets.Case c : Nets.all(M)) {
            Matrix dense = DenseFisher.exact(c.net(), c.likelihood(), c.batch());
            BatchCurvature bc = BatchCurvature.of(c.net(), c.likelihood(), c.batch());
            int p = bc.size();
            Matrix g = new Matrix(p, p);
            double[] e = new double[p];
            for (int j = 0; j < p; j++) {
                e[j] = 1;
                System.arraycopy(bc.ggn(e), 0, g.data(), j * p, p);
                e[j] = 0;
            }
            double err = MatOps.relativeError(g, dense);
            assertTrue(err < 1e-12, c + ": relative error " + err);
            double[] diag = bc.diagonal();
            for (int j = 0; j < p; j++) {
                assertEquals(dense.get(j, j), diag[j], 1e-12 * dense.trace(), c + ": diagonal " + j);
            }
            double[] v = Nets.gaussian(p, 7);
            double[] gv = bc.ggn(v);
            double[] ref = MatOps.gemv(1, dense, false, v, 0, null);
            assertTrue(Nets.relativeError(gv, ref) < 1e-12, c + ": G v relative error " + Nets.relativeError(gv, ref));
        }
    }

    /** J v against central differences of the network output along v (h = 1e-5, error O(h²)): 1e-8 relative. */
    @Test
    void jacobianProductMatchesFiniteDifferences() {
        for (Nets.Case c : Nets.all(M)) {
            BatchCurvature bc = BatchCurvature.of(c.net(), c.likelihood(), c.batch());
            ParamVector v = c.net().parameters().withFlat(Nets.gaussian(bc.size(), 3));
            Matrix jv = bc.jacobianProduct(v);
            double h = 1e-5;
            Matrix plus = shifted(c.net(), v, h).predict(c.batch().inputs());
            Matrix minus = shifted(c.net(), v, -h).predict(c.batch().inputs());
            Matrix fd = MatOps.scaleInPlace(1 / (2 * h), MatOps.subtract(plus, minus, null));
            assertTrue(MatOps.relativeError(jv, fd) < 1e-8, c + ": " + MatOps.relativeError(jv, fd));
        }
    }

    /**
     * H v against central differences of the gradient, (∇L(θ + εv) − ∇L(θ − εv)) / 2ε with ε = 1e-5
     * (truncation O(ε²) ≈ 1e-10, round-off ≈ 1e-16/ε ≈ 1e-11): 1e-6 relative for every case.
     */
    @Test
    void hessianProductMatchesFiniteDifferencesOfTheGradient() {
        for (Nets.Case c : Nets.all(M)) {
            BatchCurvature bc = BatchCurvature.of(c.net(), c.likelihood(), c.batch());
            double[] vf = Nets.gaussian(bc.size(), 5);
            ParamVector v = c.net().parameters().withFlat(vf);
            double[] hv = bc.hessian(vf);
            double eps = 1e-5;
            double[] gp = Gradients.of(shifted(c.net(), v, eps), c.likelihood(), c.batch()).gradient().toFlat();
            double[] gm = Gradients.of(shifted(c.net(), v, -eps), c.likelihood(), c.batch()).gradient().toFlat();
            double[] fd = new double[gp.length];
            for (int i = 0; i < fd.length; i++) {
                fd[i] = (gp[i] - gm[i]) / (2 * eps);
            }
            double err = Nets.relativeError(hv, fd);
            assertTrue(err < 1e-6, c + ": H v relative error " + err);
            // symmetry: u^T H v = v^T H u
            double[] uf = Nets.gaussian(bc.size(), 6);
            double uhv = ConjugateGradient.dot(uf, hv);
            double vhu = ConjugateGradient.dot(vf, bc.hessian(uf));
            assertEquals(uhv, vhu, 1e-12 * (Math.abs(uhv) + 1), c + ": symmetry");
        }
    }

    /** A one-layer linear network with a Gaussian loss: the Hessian is the GGN (to 1e-12 relative). */
    @Test
    void hessianEqualsGgnForALinearGaussianLayer() {
        for (boolean bias : new boolean[]{true, false}) {
            for (Gaussian lik : List.of(Gaussian.unit(), Gaussian.withCovariance(Nets.covariance()))) {
                Nets.Case c = Nets.make(lik, List.of(4, 3), Activation.IDENTITY, Activation.IDENTITY, bias, M, 9);
                BatchCurvature bc = BatchCurvature.of(c.net(), c.likelihood(), c.batch());
                for (long s = 0; s < 3; s++) {
                    double[] v = Nets.gaussian(bc.size(), s);
                    double err = Nets.relativeError(bc.hessian(v), bc.ggn(v));
                    assertTrue(err < 1e-12, c + ": " + err);
                }
            }
        }
        // and not for a nonlinear network: the residual terms matter there
        Nets.Case c = Nets.make(Gaussian.unit(), List.of(4, 5, 3), Activation.TANH, Activation.IDENTITY, true, M, 10);
        BatchCurvature bc = BatchCurvature.of(c.net(), c.likelihood(), c.batch());
        double[] v = Nets.gaussian(bc.size(), 1);
        assertTrue(Nets.relativeError(bc.hessian(v), bc.ggn(v)) > 1e-3);
    }

    /** The gradient is the library's gradient; J^T u is the adjoint of J v. */
    @Test
    void gradientAndAdjoint() {
        Nets.Case c = Nets.all(M).get(3);
        BatchCurvature bc = BatchCurvature.of(c.net(), c.likelihood(), c.batch());
        double[] g = Gradients.of(c.net(), c.likelihood(), c.batch()).gradient().toFlat();
        assertTrue(Nets.relativeError(bc.gradient().toFlat(), g) < 1e-15);
        ParamVector v = c.net().parameters().withFlat(Nets.gaussian(bc.size(), 2));
        Matrix u = new Matrix(c.net().outputSize(), M);
        new org.natgrad.random.Rng(4).fillGaussian(u.data());
        double left = MatOps.dot(u, bc.jacobianProduct(v));
        double right = bc.jacobianTransposeProduct(u).dot(v);
        assertEquals(left, right, 1e-12 * Math.abs(left));
        assertEquals(2, bc.products(), "one Jacobian and one transposed product");
    }

    @Test
    void rejectsBadInput() {
        Nets.Case c = Nets.all(M).get(0);
        BatchCurvature bc = BatchCurvature.of(c.net(), c.likelihood(), c.batch());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bc.ggn(new double[3]));
        assertTrue(e.getMessage().contains("expected P = " + bc.size()), e.getMessage());
        Network other = Network.dense(List.of(4, 2, 3), Activation.TANH, Activation.IDENTITY, true,
                new org.natgrad.nn.Init.Gaussian(1), 1);
        assertThrows(IllegalArgumentException.class, () -> bc.ggn(ParamVector.zerosLike(other.parameters())));
        BatchCurvature inputsOnly = BatchCurvature.ofInputs(c.net(), c.likelihood(), c.batch().inputs());
        e = assertThrows(IllegalArgumentException.class, () -> inputsOnly.hessian(new double[bc.size()]));
        assertTrue(e.getMessage().contains("need targets"), e.getMessage());
    }

    static Network shifted(Network net, ParamVector v, double h) {
        Network n = net.copy();
        n.parameters().axpy(h, v);
        return n;
    }
}
