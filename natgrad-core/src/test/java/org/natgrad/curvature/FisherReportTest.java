package org.natgrad.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Categorical;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.random.Rng;

class FisherReportTest {

    static Matrix gaussian(int r, int c, Rng rng) {
        Matrix m = new Matrix(r, c);
        rng.fillGaussian(m.data());
        return m;
    }

    static Matrix column(double[] v) {
        return new Matrix(v.length, 1, v.clone());
    }

    @Test
    void eq23IsAReflexiveGeneralizedInverseAndGivesEq10() {
        int n = 3;
        int l = 3;
        Rng rng = new Rng(1);
        Network net = Network.dense(List.of(n, n, n, n), Activation.IDENTITY, Activation.IDENTITY, false,
                new Init.Gaussian(1), 2);
        Matrix cov = MatOps.addDiagonalInPlace(MatOps.syrk(0.3, gaussian(n, n, rng), false, 0, null), 0.4);
        Batch b = new Batch(gaussian(n, 25, rng), gaussian(n, 25, rng));
        FisherReport r = FisherReport.compute(net, Gaussian.withCovariance(cov), b);
        Matrix f = r.fisher();
        Matrix fg = r.generalizedInverse();
        int p = l * n * n;
        assertEquals(p, f.rows());
        // B2
        assertEquals(0, MatOps.relativeError(MatOps.multiply(MatOps.multiply(f, fg), f), f), 1e-8);
        assertEquals(0, MatOps.relativeError(MatOps.multiply(MatOps.multiply(fg, f), fg), fg), 1e-8);
        // B3: rank F = n0 nL < P, and F^g is not the Moore–Penrose inverse
        assertEquals(n * n, SymmetricEigen.decompose(f).orElseThrow().rank(1e-9));
        assertTrue(MatOps.relativeError(fg, Inverses.pseudoInverse(f, 1e-9)) > 1e-2);
        // B4: −F^g ∇L is the Eq. 10 step
        Matrix step = MatOps.scaleInPlace(-1, MatOps.multiply(fg, column(r.gradient())));
        assertEquals(0, MatOps.relativeError(step, column(r.naturalGradientStep())), 1e-8);
        // B5: in row block i every product (F^g)_{ij} ∇_j is the same
        int blk = n * n;
        for (int i = 0; i < l; i++) {
            Matrix first = null;
            for (int j = 0; j < l; j++) {
                Matrix fij = new Matrix(blk, blk);
                for (int c = 0; c < blk; c++) {
                    for (int q = 0; q < blk; q++) {
                        fij.set(q, c, fg.get(i * blk + q, j * blk + c));
                    }
                }
                double[] gj = java.util.Arrays.copyOfRange(r.gradient(), j * blk, (j + 1) * blk);
                Matrix prod = MatOps.multiply(fij, column(gj));
                if (first == null) {
                    first = prod;
                } else {
                    assertEquals(0, MatOps.relativeError(prod, first), 1e-8, "block " + i + "," + j);
                }
            }
        }
    }

    @Test
    void stepAgreesWithTheOptimizerAndEq23IsOnlyForSquareDeepLinearGaussian() {
        Rng rng = new Rng(3);
        Network net = Network.dense(List.of(3, 5, 4), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 4);
        Matrix y = new Matrix(4, 12);
        for (int m = 0; m < 12; m++) {
            y.set(rng.nextInt(4), m, 1);
        }
        Batch b = new Batch(gaussian(3, 12, rng), y);
        Likelihood lik = new Categorical();
        FisherReport r = FisherReport.compute(net, lik, b);
        assertNull(r.generalizedInverse());
        // independent reference: finite-difference Jacobians and diag(p) - p p^T written out
        Matrix reference = FiniteDifferenceFisher.fisher(net, FiniteDifferenceFisher.Output.CATEGORICAL, b.inputs());
        assertEquals(0, MatOps.relativeError(r.fisher(), reference), 1e-8);
        Network stepped = net.copy();
        new NaturalGradient(lik, NaturalGradientOptions.paperDefaults().withModelSamples(0).withPseudoInverse(true)
                .withBlowUpFactor(Double.POSITIVE_INFINITY)).step(stepped, b);
        double[] before = net.parameters().toFlat();
        double[] after = stepped.parameters().toFlat();
        double[] diff = new double[before.length];
        for (int k = 0; k < diff.length; k++) {
            diff[k] = after[k] - before[k];
        }
        assertEquals(0, MatOps.relativeError(column(diff), column(r.naturalGradientStep())), 1e-9);
        assertTrue(!FisherReport.isSquareDeepLinearGaussian(net, Gaussian.unit()));
    }
}
