package org.natgrad.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.nn.Batch;
import org.natgrad.nn.ParamVector;
import org.natgrad.random.Rng;
import org.natgrad.statistics.CurvatureKind;
import org.natgrad.statistics.CurvatureStatistics;

/**
 * One contract for every curvature representation, through the lifecycle every optimizer uses
 * ({@link Preconditioner}: update → refresh → apply), checked against a dense reference built from
 * the brute-force Fisher ({@link DenseFisher#exact}, per-example Jacobians, independent of the
 * statistics code): the structured exact representations keep the corresponding entries of F;
 * the Kronecker ones (K-FAC, the Eq. 20 rule, EK-FAC) equal the exact layer blocks on a
 * single-example batch, where F_ll = x̄x̄^T ⊗ E[δδ^T] holds exactly. Per representation (one
 * subclass each, EJML style):
 * <ul>
 *   <li>{@code toDense} equals the reference, and {@code apply(v, +1)} the reference times v;</li>
 *   <li>{@code apply(v, −1)} after {@code refresh(ρ)} equals the dense damped inverse of the
 *       representation's rule: (G + ρI)^{-1}, K-FAC's π-split (Λ + π√ρ I)^{-1} ⊗ (Λ̃ + √ρ/π I)^{-1},
 *       Eq. 20's (Λ + √ρ I)^{-1} ⊗ (Λ̃ + √ρ I)^{-1}, with Λ and Λ̃ read off the reference block;</li>
 *   <li>ρ = 0 gives the Moore–Penrose solution G^+ v;</li>
 *   <li>{@code trace} and {@code diagonal} equal those of the reference;</li>
 *   <li>a second {@code update} replaces the first (the result equals a fresh build on the new batch);</li>
 *   <li>statistics of two batches added with {@code plus} give the representation of their union.</li>
 * </ul>
 * Tolerance 1e-10 relative (all double precision; the references differ from the
 * representations only by summation order), 1e-7 for pseudo-inverse solves (of a vector in the
 * range of G; the kept spectrum's condition number amplifies round-off, and block representations
 * cut each block's spectrum relative to its own largest eigenvalue, not the whole matrix's).
 */
abstract class CurvatureContractTest {
    static final double TOL = 1e-10;
    static final double RHO = 0.1;

    abstract CurvatureChoice choice();

    /** True when the representation equals its reference only on a single example (Kronecker forms). */
    boolean singleExampleOnly() {
        return false;
    }

    /** The dense representation expected from the brute-force Fisher F of {@code t}. */
    Matrix reference(Matrix f, TinyNetworks.Task t) {
        return CurvatureTest.masked(choice(), f, t.net());
    }

    /**
     * The dense (G + ρI)^{-1} of the representation's damping rule, for reference G (symmetric, not
     * necessarily PSD: the block tri-diagonal truncation of F is indefinite in general).
     */
    Matrix dampedInverse(Matrix g, double rho, TinyNetworks.Task t) {
        SymmetricEigen e = SymmetricEigen.decompose(MatOps.addDiagonalInPlace(g.copy(), rho)).orElseThrow();
        Matrix q = e.vectors();
        Matrix scaled = q.copy();
        for (int j = 0; j < q.cols(); j++) {
            double w = 1 / e.values()[j];
            for (int i = 0; i < q.rows(); i++) {
                scaled.set(i, j, q.get(i, j) * w);
            }
        }
        return MatOps.gemm(1, scaled, false, q, true, 0, null);
    }

    List<TinyNetworks.Task> tasks() {
        int m = singleExampleOnly() ? 1 : 5;
        return List.of(TinyNetworks.tanhMlp(m), TinyNetworks.softmaxClassifier(m), TinyNetworks.linearBottleneck(m));
    }

    private static Preconditioner preconditioner(CurvatureChoice c, TinyNetworks.Task t, Batch batch) {
        Preconditioner p = new Preconditioner(c, FactorSolverOptions.defaults(), 0);
        p.update(ParamVector.zerosLike(t.net().parameters()), statistics(t, batch), 0);
        return p;
    }

    private static CurvatureStatistics statistics(TinyNetworks.Task t, Batch batch) {
        return CurvatureStatistics.of(t.net(), t.likelihood(), batch, CurvatureKind.exact());
    }

    private static ParamVector vector(TinyNetworks.Task t, long seed) {
        double[] v = new double[t.net().parameterCount()];
        new Rng(seed).fillGaussian(v);
        return ParamVector.zerosLike(t.net().parameters()).withFlat(v);
    }

    private static double[] times(Matrix a, double[] v) {
        return MatOps.multiply(a, new Matrix(v.length, 1, v.clone())).data();
    }

    @Test
    void toDenseAndProductsMatchTheReference() {
        for (TinyNetworks.Task t : tasks()) {
            Matrix ref = reference(DenseFisher.exact(t.net(), t.likelihood(), t.batch()), t);
            Preconditioner p = preconditioner(choice(), t, t.batch());
            assertTrue(CurvatureTest.rel(p.representation().toDense(), ref) < TOL, t.name());
            ParamVector v = vector(t, 1);
            double[] got = p.apply(v, 1).toFlat();
            assertTrue(CurvatureTest.rel(got, times(ref, v.toFlat())) < TOL, t.name() + ": G v");
        }
    }

    @Test
    void dampedSolvesFollowTheRepresentationsRule() {
        for (TinyNetworks.Task t : tasks()) {
            Matrix ref = reference(DenseFisher.exact(t.net(), t.likelihood(), t.batch()), t);
            Preconditioner p = preconditioner(choice(), t, t.batch());
            ParamVector g = vector(t, 2);
            for (double rho : new double[] {RHO, 1e-3}) {
                p.refresh(rho);
                double[] got = p.apply(g, -1).toFlat();
                double[] want = times(dampedInverse(ref, rho, t), g.toFlat());
                assertTrue(CurvatureTest.rel(got, want) < TOL, t.name() + " rho " + rho + ": "
                        + CurvatureTest.rel(got, want));
            }
        }
    }

    @Test
    void zeroDampingIsTheMoorePenroseSolution() {
        for (TinyNetworks.Task t : tasks()) {
            Matrix ref = reference(DenseFisher.exact(t.net(), t.likelihood(), t.batch()), t);
            Preconditioner p = new Preconditioner(choice(), new FactorSolverOptions(org.natgrad.linalg.InverseStrategy.EIGEN,
                    true, org.natgrad.linalg.FactorPrecision.DOUBLE), 0);
            p.update(ParamVector.zerosLike(t.net().parameters()), statistics(t, t.batch()), 0);
            p.refresh(RHO); // ignored: pseudo-inverse solves
            // a vector in the range of G, as a gradient is: G^+ G v, whose error is not amplified by
            // the reciprocals of round-off eigenvalues near the cut-off
            ParamVector g = ParamVector.zerosLike(t.net().parameters()).withFlat(times(ref, vector(t, 3).toFlat()));
            double[] got = p.apply(g, -1).toFlat();
            double[] want = times(Inverses.pseudoInverse(ref, 1e-10), g.toFlat());
            assertTrue(CurvatureTest.rel(got, want) < 1e-7, t.name() + ": " + CurvatureTest.rel(got, want));
        }
    }

    @Test
    void traceAndDiagonalMatchTheReference() {
        for (TinyNetworks.Task t : tasks()) {
            Matrix ref = reference(DenseFisher.exact(t.net(), t.likelihood(), t.batch()), t);
            Curvature c = preconditioner(choice(), t, t.batch()).representation();
            double[] diag = new double[ref.rows()];
            double tr = 0;
            for (int i = 0; i < diag.length; i++) {
                diag[i] = ref.get(i, i);
                tr += diag[i];
            }
            assertEquals(tr, c.trace(), TOL * Math.abs(tr), t.name());
            assertTrue(CurvatureTest.rel(c.diagonal(), diag) < TOL, t.name());
            assertTrue(c.bytes() > 0, t.name());
        }
    }

    @Test
    void aSecondUpdateReplacesTheFirst() {
        TinyNetworks.Task t = tasks().get(0);
        Batch other = TinyNetworks.gaussianBatch(t.net().inputSize(), t.net().outputSize(), t.batch().size(), 77);
        Preconditioner p = preconditioner(choice(), t, t.batch());
        p.update(ParamVector.zerosLike(t.net().parameters()), statistics(t, other), 5);
        Preconditioner fresh = preconditioner(choice(), t, other);
        p.refresh(RHO);
        fresh.refresh(RHO);
        ParamVector g = vector(t, 4);
        assertEquals(5, p.step());
        assertTrue(CurvatureTest.rel(p.apply(g, -1).toFlat(), fresh.apply(g, -1).toFlat()) < 1e-14);
        assertTrue(CurvatureTest.rel(p.apply(g, 1).toFlat(), fresh.apply(g, 1).toFlat()) < 1e-14);
    }

    @Test
    void statisticsOfTwoBatchesAddUpToTheirUnion() {
        if (singleExampleOnly()) {
            return; // the union has two examples, where the Kronecker forms are approximations; see CurvatureStatisticsTest
        }
        TinyNetworks.Task t = tasks().get(0);
        Batch a = TinyNetworks.gaussianBatch(t.net().inputSize(), t.net().outputSize(), 3, 11);
        Batch b = TinyNetworks.gaussianBatch(t.net().inputSize(), t.net().outputSize(), 4, 12);
        Matrix x = new Matrix(a.inputs().rows(), 7);
        Matrix y = new Matrix(a.targets().rows(), 7);
        System.arraycopy(a.inputs().data(), 0, x.data(), 0, a.inputs().size());
        System.arraycopy(b.inputs().data(), 0, x.data(), a.inputs().size(), b.inputs().size());
        System.arraycopy(a.targets().data(), 0, y.data(), 0, a.targets().size());
        System.arraycopy(b.targets().data(), 0, y.data(), a.targets().size(), b.targets().size());
        ParamVector template = ParamVector.zerosLike(t.net().parameters());
        Preconditioner sum = new Preconditioner(choice(), FactorSolverOptions.defaults(), 0);
        sum.update(template, statistics(t, a).plus(statistics(t, b)), 0);
        Matrix ref = reference(DenseFisher.exact(t.net(), t.likelihood(), x), t);
        assertTrue(CurvatureTest.rel(sum.representation().toDense(), ref) < TOL, "union of 3 + 4 examples");
    }

    @Test
    void applyNeedsStatisticsAndDampingAndAPowerOfOne() {
        TinyNetworks.Task t = tasks().get(0);
        Preconditioner empty = new Preconditioner(choice(), FactorSolverOptions.defaults(), 0);
        assertThrows(IllegalStateException.class, () -> empty.apply(vector(t, 5), -1));
        Preconditioner p = preconditioner(choice(), t, t.batch());
        assertThrows(IllegalStateException.class, () -> p.apply(vector(t, 5), -1));
        p.refresh(RHO);
        assertThrows(IllegalArgumentException.class, () -> p.apply(vector(t, 5), 2));
        assertThrows(IllegalArgumentException.class, () -> p.refresh(-1));
    }

    /** Λ ⊗ Λ̃ per layer from a reference block-diagonal K: Λ̃_l = K_ll[0:n, 0:n] / Λ_l[0,0] with Λ_l = x̄x̄^T/M. */
    static Matrix kroneckerInverse(Matrix ref, TinyNetworks.Task t, double rho, boolean piSplit) {
        Matrix out = new Matrix(ref.rows(), ref.cols());
        Matrix x = t.batch().inputs();
        org.natgrad.nn.Trace trace = t.net().forward(x);
        int o = 0;
        for (int l = 0; l < t.net().depth(); l++) {
            Matrix xb = trace.inputWithBias(l);
            Matrix lambda = MatOps.syrk(1.0 / xb.cols(), xb, false, 0, null);
            int n = t.net().layer(l).outputs();
            int d = lambda.rows();
            Matrix tilde = new Matrix(n, n);
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    tilde.set(i, j, ref.get(o + i, o + j) / lambda.get(0, 0));
                }
            }
            double r = Math.sqrt(rho);
            double pi = 1;
            if (piSplit) {
                double ta = trace(lambda) / d;
                double tb = trace(tilde) / n;
                pi = ta > 0 && tb > 0 ? Math.sqrt(ta / tb) : 1;
            }
            Matrix block = MatOps.kron(Inverses.dampedInverse(lambda, r * pi), Inverses.dampedInverse(tilde, r / pi));
            KroneckerFactored.place(out, block, o);
            o += d * n;
        }
        return out;
    }

    private static double trace(Matrix a) {
        double s = 0;
        for (int i = 0; i < a.rows(); i++) {
            s += a.get(i, i);
        }
        return s;
    }
}
