package org.natgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.nn.Activation;
import org.natgrad.random.Rng;

class TeacherTest {

    @Test
    void eigenvaluesFollowTheClosedFormAndSumToN0() {
        int n = 20;
        double[] l = Teacher.eigenvalues(n, 1e-3, 5);
        double sum = 0;
        for (double v : l) {
            sum += v;
        }
        assertEquals(n, sum, 1e-12);
        // ratios are independent of the rescaling: λ_i/λ_0 = (1e-3 + e^{-5i/n}) / (1e-3 + 1)
        for (int i = 0; i < n; i++) {
            assertEquals((1e-3 + Math.exp(-5.0 * i / n)) / 1.001, l[i] / l[0], 1e-14);
        }
        // direct value for i = 0: n / Σ_i (1e-3 + e^{-5i/n}); the sum is a geometric series
        double r = Math.exp(-5.0 / n);
        double geo = (1 - Math.pow(r, n)) / (1 - r);
        assertEquals(1.001 * n / (n * 1e-3 + geo), l[0], 1e-12);
    }

    @Test
    void covarianceHasTheStatedSpectrumAndOrthogonalEigenvectors() {
        Teacher t = Teacher.create(List.of(12, 8, 5), Activation.TANH, Activation.IDENTITY, Teacher.Options.paper(), 11L);
        Matrix q = t.rotation();
        Matrix qtq = MatOps.gemm(1, q, true, q, false, 0, null);
        assertTrue(MatOps.relativeError(qtq, Matrix.identity(12)) < 1e-13);
        Matrix sigma = t.inputCovariance();
        assertEquals(12, sigma.trace(), 1e-11);
        double[] got = SymmetricEigen.decompose(sigma).orElseThrow().values(); // ascending
        double[] want = Teacher.eigenvalues(12, 1e-3, 5); // descending
        for (int i = 0; i < 12; i++) {
            assertEquals(want[11 - i], got[i], 1e-12);
        }
    }

    @Test
    void empiricalCovarianceMatchesSigma() {
        int n0 = 6;
        int n = 100_000;
        Teacher t = Teacher.create(List.of(n0, 3), Activation.IDENTITY, Activation.IDENTITY, Teacher.Options.paper(), 3L);
        Dataset d = t.sample(n, new Rng(99));
        Matrix x = d.inputs();
        Matrix emp = MatOps.gemm(1.0 / n, x, false, x, true, 0, null); // mean is known to be 0
        Matrix sigma = t.inputCovariance();
        // For Gaussian x, Var(emp_ij) = (Σ_ij² + Σ_ii Σ_jj) / n; allow 5 standard deviations per entry.
        double worst = 0;
        for (int i = 0; i < n0; i++) {
            for (int j = 0; j < n0; j++) {
                double sd = Math.sqrt((sigma.get(i, j) * sigma.get(i, j) + sigma.get(i, i) * sigma.get(j, j)) / n);
                worst = Math.max(worst, Math.abs(emp.get(i, j) - sigma.get(i, j)) / sd);
            }
        }
        assertTrue(worst < 5, "largest covariance deviation " + worst + " standard deviations");
        // and the sample mean is within 5 standard errors of 0
        for (int i = 0; i < n0; i++) {
            double m = 0;
            for (int k = 0; k < n; k++) {
                m += x.get(i, k);
            }
            m /= n;
            assertTrue(Math.abs(m) < 5 * Math.sqrt(sigma.get(i, i) / n), "mean of coordinate " + i + " is " + m);
        }
    }

    @Test
    void targetNoiseHasTheStatedVarianceAndMatchesMinimumError() {
        for (double var : new double[] {1e-6, 0.04}) {
            Teacher t = Teacher.create(List.of(5, 7, 4), Activation.TANH, Activation.IDENTITY,
                    Teacher.Options.paper().withNoiseVariance(var), 5L);
            int n = 20_000;
            Dataset d = t.sample(n, new Rng(1));
            Matrix clean = t.network().predict(d.inputs());
            double ss = 0;
            for (int k = 0; k < clean.size(); k++) {
                double r = d.targets().data()[k] - clean.data()[k];
                ss += r * r;
            }
            int count = clean.size();
            double est = ss / count;
            // the mean of count squared N(0, var) draws has relative standard deviation sqrt(2/count)
            double relSd = Math.sqrt(2.0 / count);
            assertEquals(var, est, 5 * relSd * var, "noise variance");
            double halfMeanSq = 0.5 * ss / n;
            assertEquals(0.5 * 4 * var, t.minimumAchievableError(), 1e-20);
            assertEquals(t.minimumAchievableError(), halfMeanSq, 5 * relSd * t.minimumAchievableError());
        }
    }

    @Test
    void teacherWeightsHaveVarianceOneOverFanInAndZeroBiases() {
        Teacher t = Teacher.create(List.of(200, 100, 3), Activation.TANH, Activation.IDENTITY,
                Teacher.Options.paper().withBias(true), 8L);
        double[] w = t.network().layer(0).weights().data();
        double ss = 0;
        for (double v : w) {
            ss += v * v;
        }
        double var = ss / w.length;
        assertEquals(1.0 / 200, var, 5 * Math.sqrt(2.0 / w.length) / 200);
        assertEquals(0.0, t.network().layer(0).bias().maxAbs());
        assertEquals(0.0, t.network().layer(1).bias().maxAbs());
        assertTrue(Teacher.create(List.of(3, 2), Activation.TANH, Activation.IDENTITY, Teacher.Options.paper(), 1L)
                .network().isBiasFree());
    }

    @Test
    void sameSeedSameTeacherAndSamples() {
        Teacher a = Teacher.create(List.of(4, 3, 2), Activation.TANH, Activation.IDENTITY, Teacher.Options.paper(), 42L);
        Teacher b = Teacher.create(List.of(4, 3, 2), Activation.TANH, Activation.IDENTITY, Teacher.Options.paper(), 42L);
        Teacher c = Teacher.create(List.of(4, 3, 2), Activation.TANH, Activation.IDENTITY, Teacher.Options.paper(), 43L);
        assertEquals(a.inputCovariance(), b.inputCovariance());
        assertEquals(a.network().layer(1).weights(), b.network().layer(1).weights());
        assertNotEquals(a.inputCovariance(), c.inputCovariance());
        Dataset da = a.sample(10, new Rng(5));
        Dataset db = b.sample(10, new Rng(5));
        assertEquals(da.inputs(), db.inputs());
        assertEquals(da.targets(), db.targets());
        assertArrayEquals(new int[] {4, 10, 2, 10},
                new int[] {da.inputs().rows(), da.inputs().cols(), da.targets().rows(), da.targets().cols()});
    }

    @Test
    void optionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new Teacher.Options(-1, 1e-3, 5, false));
        assertThrows(IllegalArgumentException.class, () -> new Teacher.Options(Double.NaN, 1e-3, 5, false));
        assertThrows(IllegalArgumentException.class, () -> new Teacher.Options(1e-6, -1, 5, false));
        assertThrows(IllegalArgumentException.class, () -> new Teacher.Options(1e-6, 1e-3, Double.POSITIVE_INFINITY, false));
        Teacher.Options p = Teacher.Options.paper();
        assertEquals(1e-6, p.noiseVariance());
        assertEquals(1e-3, p.eigenFloor());
        assertEquals(5, p.eigenDecay());
        assertEquals(false, p.bias());
    }
}
