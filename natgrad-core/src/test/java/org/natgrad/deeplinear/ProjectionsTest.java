package org.natgrad.deeplinear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/** Checks B8-B10 of math.md §6: any g-inverse, the projections of Eq. 19, and where Eq. 10 is exact. */
class ProjectionsTest {

    private static final int[][] ALL = {Fixtures.SQUARE, Fixtures.WIDENING, Fixtures.CONTRACTING,
            Fixtures.EXPANDING, Fixtures.BOTTLENECK};

    /** P^K_T by the literal formula Φ (Φ^T K Φ)^+ Φ^T K, for comparison with the stable route. */
    private static Matrix literalTangentProjector(DeepLinearModel m) {
        Matrix phi = PopulationFisher.phi(m);
        Matrix k = PopulationFisher.k(m);
        Matrix fPlus = GeneralizedInverse.moorePenrose(PopulationFisher.dense(m), 1e-10);
        return MatOps.multiply(MatOps.multiply(phi, fPlus), MatOps.multiplyTransA(phi, k));
    }

    @Test
    void tangentProjectorIsTheKOrthogonalProjectorOntoRangePhi() {
        for (int[] arch : ALL) {
            DeepLinearModel m = Fixtures.model(arch, 61);
            Matrix p = Projections.tangentProjector(m);
            String name = java.util.Arrays.toString(arch);
            assertEquals(0, MatOps.relativeError(p, literalTangentProjector(m)), 1e-8, name);
            assertEquals(0, MatOps.relativeError(MatOps.multiply(p, p), p), 1e-10, name);          // idempotent
            Matrix kp = MatOps.multiply(PopulationFisher.k(m), p);
            assertEquals(0, MatOps.relativeError(kp, kp.transpose()), 1e-10, name);                // K-self-adjoint
            Matrix phi = PopulationFisher.phi(m);
            assertEquals(0, MatOps.relativeError(MatOps.multiply(p, phi), phi), 1e-10, name);      // fixes range(Φ)
            assertEquals(Projections.tangentDimension(m), (int) Math.round(p.trace()), name);       // trace = rank
            int n = m.width(0) * m.width(m.depth());
            if (Projections.tangentDimension(m) == n) {
                assertEquals(0, MatOps.relativeError(p, Matrix.identity(n)), 1e-10, name);
            }
        }
    }

    /** B8: a random Rao-Mitra g-inverse moves W by −P^K_T vec(W − W*), whatever Z is. */
    @Test
    void b8EveryGeneralizedInverseGivesTheTangentProjection() {
        for (int[] arch : new int[][] {Fixtures.SQUARE, Fixtures.CONTRACTING, Fixtures.BOTTLENECK}) {
            DeepLinearModel m = Fixtures.model(arch, 62);
            String name = java.util.Arrays.toString(arch);
            Matrix f = PopulationFisher.dense(m);
            Matrix fPlus = GeneralizedInverse.moorePenrose(f, 1e-10);
            Matrix phi = PopulationFisher.phi(m);
            Matrix expected = Projections.exactNaturalRate(m);
            Rng rng = new Rng(63);
            for (int trial = 0; trial < 3; trial++) {
                int p = m.parameterCount();
                Matrix z = MatOps.scaleInPlace(fPlus.frobeniusNorm() / p, Fixtures.gaussian(p, p, 1, rng));
                Matrix g = trial == 0 ? fPlus : GeneralizedInverse.raoMitra(f, fPlus, z);
                assertEquals(0, MatOps.relativeError(MatOps.multiply(MatOps.multiply(f, g), f), f), 1e-8, name);
                double[] step = MatOps.gemv(-1, g, false, PopulationFisher.gradientFlat(m), 0, null);
                double[] dw = MatOps.gemv(1, phi, false, step, 0, null);
                assertEquals(0, MatOps.relativeError(new Matrix(expected.rows(), expected.cols(), dw), expected), 1e-8,
                        name + " trial " + trial);
            }
            if (m.isSquare()) {
                // Eq. 23 as well, and P = I: Eq. 18
                double[] step = MatOps.gemv(-1, GeneralizedInverse.eq23(m), false, PopulationFisher.gradientFlat(m), 0, null);
                Matrix dw = new Matrix(expected.rows(), expected.cols(), MatOps.gemv(1, phi, false, step, 0, null));
                assertEquals(0, MatOps.relativeError(dw, expected), 1e-8);
                assertEquals(0, MatOps.relativeError(expected, MatOps.subtract(m.target(), m.total(), null)), 1e-10);
            }
        }
    }

    /** B9: Eq. 10 with pseudo-inverses equals the Eq. 19 form; properties of P^a_i, P^b_i. */
    @Test
    void b9Eq10WithPseudoInversesHasTheEq19Form() {
        for (int[] arch : ALL) {
            DeepLinearModel m = Fixtures.model(arch, 64);
            String name = java.util.Arrays.toString(arch);
            Matrix rate = Projections.eq10Rate(m, true);
            assertEquals(0, MatOps.relativeError(rate, Projections.eq19Rate(m)), 1e-8, name);
            // −W + (1/L) Σ P^a W* P^b
            Matrix alt = MatOps.scale(-1, m.total(), null);
            for (int i = 1; i <= m.depth(); i++) {
                MatOps.axpy(1.0 / m.depth(), MatOps.multiply(MatOps.multiply(Projections.pa(m, i), m.target()),
                        Projections.pb(m, i)), alt);
            }
            assertEquals(0, MatOps.relativeError(rate, alt), 1e-8, name);
            int nl = m.width(m.depth());
            int n0 = m.width(0);
            for (int i = 1; i <= m.depth(); i++) {
                Matrix pa = Projections.pa(m, i);
                Matrix pb = Projections.pb(m, i);
                assertEquals(0, MatOps.relativeError(MatOps.multiply(pa, pa), pa), 1e-10, name + " P^a idempotent");
                assertEquals(0, MatOps.relativeError(MatOps.multiply(pb, pb), pb), 1e-10, name + " P^b idempotent");
                assertEquals(0, MatOps.relativeError(MatOps.multiply(pa, m.total()), m.total()), 1e-10, name);
                assertEquals(0, MatOps.relativeError(MatOps.multiply(m.total(), pb), m.total()), 1e-10, name);
                assertEquals(0, MatOps.relativeError(MatOps.multiply(pa, m.A(i)), m.A(i)), 1e-10, name);
                Matrix spa = MatOps.multiply(m.outputPrecision(), pa);       // Σ̃^{-1}-self-adjoint
                assertEquals(0, MatOps.relativeError(spa, spa.transpose()), 1e-10, name);
                Matrix spb = MatOps.multiply(m.sigma(), pb.transpose());      // (P^b)^T is Σ-self-adjoint
                assertEquals(0, MatOps.relativeError(spb, spb.transpose()), 1e-10, name);
                // D ↦ P^a D P^b is the K-orthogonal projector onto range(Φ_i)
                Matrix phiI = PopulationFisher.phi(m, i);
                Matrix fii = PopulationFisher.block(m, i, i);
                Matrix literal = MatOps.multiply(MatOps.multiply(phiI, GeneralizedInverse.moorePenrose(fii, 1e-10)),
                        MatOps.multiplyTransA(phiI, PopulationFisher.k(m)));
                assertEquals(0, MatOps.relativeError(Projections.layerProjector(m, i), literal), 1e-8, name);
                // P^a = I iff A_i has full row rank; P^b = I iff B_i has full column rank
                boolean nonExpandingAbove = true;
                for (int k = i; k <= m.depth(); k++) {
                    nonExpandingAbove &= m.width(k) >= nl;
                }
                boolean nonContractingBelow = true;
                for (int k = 0; k < i; k++) {
                    nonContractingBelow &= m.width(k) >= n0;
                }
                assertEquals(nonExpandingAbove, MatOps.relativeError(pa, Matrix.identity(nl)) < 1e-10, name + " P^a_" + i);
                assertEquals(nonContractingBelow, MatOps.relativeError(pb, Matrix.identity(n0)) < 1e-10, name + " P^b_" + i);
            }
        }
        // the paper's statements: P^a = I throughout a non-expanding net, P^b = I throughout a non-contracting one
        DeepLinearModel contracting = Fixtures.model(Fixtures.CONTRACTING, 65);
        DeepLinearModel expanding = Fixtures.model(Fixtures.EXPANDING, 65);
        for (int i = 1; i <= 3; i++) {
            assertEquals(0, MatOps.relativeError(Projections.pa(contracting, i), Matrix.identity(3)), 1e-10);
            assertEquals(0, MatOps.relativeError(Projections.pb(expanding, i), Matrix.identity(3)), 1e-10);
        }
    }

    /**
     * B10: Eq. 10 with pseudo-inverses is the exact natural gradient for square nets and [3,5,7,4]
     * but not for contracting, expanding or bottleneck nets (documented inequality); it always
     * descends, at the rate dL/dt = −(1/L) Σ_i ‖P^K_{Φ_i} vec(W − W*)‖²_K.
     */
    @Test
    void b10Eq10IsExactOnlyWhenEveryLayerReachesTheTangentSpace() {
        for (int[] arch : ALL) {
            DeepLinearModel m = Fixtures.model(arch, 66);
            String name = java.util.Arrays.toString(arch);
            Matrix eq10 = Projections.eq10Rate(m, true);
            Matrix exact = Projections.exactNaturalRate(m);
            double diff = MatOps.relativeError(eq10, exact);
            boolean exactExpected = arch == Fixtures.SQUARE || arch == Fixtures.WIDENING;
            if (exactExpected) {
                assertEquals(0, diff, 1e-8, name);
            } else {
                assertTrue(diff > 1e-2, name + ": Eq. 10 should differ from the exact natural gradient, diff " + diff);
            }
            double rate = Projections.lossRate(m, eq10);
            double sum = 0;
            for (double v : Projections.layerProjectedNorms(m)) {
                sum += v;
            }
            assertTrue(rate < 0, name + ": dL/dt = " + rate);
            assertEquals(-sum / m.depth(), rate, 1e-10 * Math.abs(rate), name);
            // a projection never shrinks the K-norm faster than the identity: both rates are ≥ −‖D‖²_K = −2(L − L*)
            double exactRate = Projections.lossRate(m, exact);
            assertTrue(exactRate >= -2 * m.excessLoss() * (1 + 1e-10), name);
            assertTrue(rate >= -2 * m.excessLoss() * (1 + 1e-10), name);
        }
    }
}
