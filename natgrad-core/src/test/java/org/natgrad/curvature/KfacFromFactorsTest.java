package org.natgrad.curvature;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.ParamVector;
import org.natgrad.random.Rng;
import org.natgrad.statistics.CurvatureKind;
import org.natgrad.statistics.CurvatureStatistics;

/**
 * K-FAC built from statistics in factor form (Λ_l, Λ̃_l, e.g. summed over partitions) solves as
 * the π-split rule says, checked against dense damped inverses of the factors formed here
 * from the trace: (Λ̃ + (√ρ/π) I)^{-1} V (Λ + π√ρ I)^{-1}, π² = (tr Λ / d) / (tr Λ̃ / n); and it
 * agrees with K-FAC from the samples.
 */
class KfacFromFactorsTest {

    @Test
    void factorFormSolvesByThePiSplitRule() {
        for (TinyNetworks.Task t : List.of(TinyNetworks.tanhMlp(7), TinyNetworks.softmaxClassifier(9))) {
            CurvatureStatistics samples = CurvatureStatistics.of(t.net(), t.likelihood(), t.batch(), CurvatureKind.exact());
            int layers = samples.layers();
            Matrix[] lambda = new Matrix[layers];
            Matrix[] tilde = new Matrix[layers];
            org.natgrad.nn.Trace trace = t.net().forward(t.batch().inputs());
            for (int l = 0; l < layers; l++) {
                Matrix xb = trace.inputWithBias(l);
                lambda[l] = MatOps.syrk(1.0 / xb.cols(), xb, false, 0, null);
                tilde[l] = MatOps.syrk(1, samples.errors()[l], false, 0, null);
            }
            CurvatureStatistics factors = CurvatureStatistics.ofFactors(lambda, tilde, t.batch().size());
            ParamVector template = ParamVector.zerosLike(t.net().parameters());
            Curvature fromFactors = Curvature.of(CurvatureChoice.KFAC, template, factors, FactorSolverOptions.defaults(), 0);
            Curvature fromSamples = Curvature.of(CurvatureChoice.KFAC, template, samples, FactorSolverOptions.defaults(), 0);
            double[] g = new double[template.size()];
            new Rng(4).fillGaussian(g);
            for (double rho : new double[] {0.3, 1e-3}) {
                double[] got = fromFactors.solve(g, rho);
                double[] want = new double[g.length];
                for (int l = 0; l < layers; l++) {
                    int d = lambda[l].rows();
                    int n = tilde[l].rows();
                    double pi = Math.sqrt((trace(lambda[l]) / d) / (trace(tilde[l]) / n));
                    double r = Math.sqrt(rho);
                    Matrix v = samples.block(g, l);
                    Matrix b = MatOps.multiply(MatOps.multiply(Inverses.dampedInverse(tilde[l], r / pi), v),
                            Inverses.dampedInverse(lambda[l], r * pi));
                    System.arraycopy(b.data(), 0, want, samples.offset(l), b.size());
                }
                assertTrue(CurvatureTest.rel(got, want) < 1e-10, t.name() + " rho " + rho + ": " + CurvatureTest.rel(got, want));
                double[] viaSamples = fromSamples.solve(g, rho);
                assertTrue(CurvatureTest.rel(got, viaSamples) < 1e-10, t.name() + " rho " + rho + " vs samples");
            }
        }
    }

    private static double trace(Matrix a) {
        double s = 0;
        for (int i = 0; i < a.rows(); i++) {
            s += a.get(i, i);
        }
        return s;
    }
}
