package org.natgrad.curvature;

import org.natgrad.statistics.CurvatureKind;
import org.natgrad.statistics.CurvatureStatistics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/**
 * Every curvature representation against the dense brute-force Fisher ({@link DenseFisher}) on the
 * tiny-network registry: structured exact representations equal the corresponding entries of F to
 * 1e-10 relative; products, damped solves and pseudo-inverse solves agree with dense references
 * built from those entries ({@link Inverses}).
 */
class CurvatureTest {
    static final double EXACT = 1e-10;

    static double rel(Matrix a, Matrix b) {
        return MatOps.relativeError(a, b);
    }

    static double rel(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / Math.max(den, Double.MIN_NORMAL));
    }

    /** Layer and unit of each flat parameter index. */
    static int[][] layout(Network net) {
        List<int[]> out = new ArrayList<>();
        for (int l = 0; l < net.depth(); l++) {
            int n = net.layer(l).outputs();
            int size = net.layer(l).parameterCount();
            for (int q = 0; q < size; q++) {
                out.add(new int[]{l, q % n});
            }
        }
        return out.toArray(new int[0][]);
    }

    static Matrix mask(Matrix f, int[][] lay, BiPredicate<int[], int[]> keep) {
        Matrix m = f.copy();
        for (int j = 0; j < f.cols(); j++) {
            for (int i = 0; i < f.rows(); i++) {
                if (!keep.test(lay[i], lay[j]) && !(i == j && keep.test(lay[i], lay[i]))) {
                    m.set(i, j, 0);
                }
            }
        }
        return m;
    }

    static Matrix masked(CurvatureChoice c, Matrix f, Network net) {
        int[][] lay = layout(net);
        return switch (c) {
            case EXACT -> f.copy();
            case BLOCK_DIAGONAL -> mask(f, lay, (a, b) -> a[0] == b[0]);
            case BLOCK_TRIDIAGONAL -> mask(f, lay, (a, b) -> Math.abs(a[0] - b[0]) <= 1);
            case UNIT_WISE -> mask(f, lay, (a, b) -> a[0] == b[0] && a[1] == b[1]);
            case DIAGONAL -> diagonalOnly(f);
            default -> throw new IllegalArgumentException(c.toString());
        };
    }

    static Matrix diagonalOnly(Matrix f) {
        Matrix m = new Matrix(f.rows(), f.cols());
        for (int i = 0; i < f.rows(); i++) {
            m.set(i, i, f.get(i, i));
        }
        return m;
    }

    static final List<CurvatureChoice> STRUCTURED_EXACT = List.of(CurvatureChoice.EXACT, CurvatureChoice.BLOCK_DIAGONAL,
            CurvatureChoice.BLOCK_TRIDIAGONAL, CurvatureChoice.UNIT_WISE, CurvatureChoice.DIAGONAL);

    static double[] randomVector(int p, long seed) {
        double[] v = new double[p];
        new Rng(seed).fillGaussian(v);
        return v;
    }

    /** Checks multiply, damped solve and pseudo-inverse solve of {@code g} against a dense reference. */
    static void checkAlgebra(String what, Curvature c, Matrix reference, double tolSolve) {
        int p = reference.rows();
        double[] v = randomVector(p, 5);
        assertTrue(rel(c.multiply(v), MatOps.gemv(1, reference, false, v, 0, null)) < 1e-10, what + ": multiply");
        assertEquals(reference.trace(), c.trace(), 1e-10 * Math.abs(reference.trace()) + 1e-14, what + ": trace");
        double rho = 0.3 * reference.trace() / p;
        double[] x = c.solve(v, rho);
        double[] ref = MatOps.gemv(1, LinearSolve.inverse(MatOps.addDiagonalInPlace(reference.copy(), rho)), false, v, 0, null);
        assertTrue(rel(x, ref) < tolSolve, what + ": damped solve, rel " + rel(x, ref));
        // pseudo-inverse solve of a vector in the range (a gradient-like vector)
        double[] g = MatOps.gemv(1, reference, false, randomVector(p, 6), 0, null);
        double[] x0 = c.solve(g, 0);
        double[] ref0 = MatOps.gemv(1, Inverses.pseudoInverse(reference, 1e-10), false, g, 0, null);
        assertTrue(rel(x0, ref0) < 1e3 * tolSolve, what + ": pseudo-inverse solve, rel " + rel(x0, ref0));
        assertTrue(c.bytes() > 0, what + ": bytes");
    }

    @Test
    void structuredRepresentationsEqualTheDenseFisherEntries() {
        for (int m : new int[]{1, 2, 6}) {
            for (TinyNetworks.Task t : TinyNetworks.all(m)) {
                Matrix f = DenseFisher.exact(t.net(), t.likelihood(), t.batch());
                CurvatureStatistics s = CurvatureStatistics.of(t.net(), t.likelihood(), t.batch(), CurvatureKind.exact());
                assertTrue(rel(s.fisher(), f) < EXACT, t + ": samples reproduce F");
                for (CurvatureChoice c : STRUCTURED_EXACT) {
                    Curvature g = Curvature.of(c, t.net(), s);
                    Matrix ref = masked(c, f, t.net());
                    String what = t + " M=" + m + " " + c.label();
                    assertTrue(rel(g.toDense(), ref) < EXACT, what + ": dense form, rel " + rel(g.toDense(), ref));
                    checkAlgebra(what, g, ref, 1e-8);
                }
            }
        }
    }

    @Test
    void monteCarloAndEmpiricalKindsMatchTheDenseEstimators() {
        for (TinyNetworks.Task t : TinyNetworks.all(4)) {
            Matrix mc = DenseFisher.monteCarlo(t.net(), t.likelihood(), t.batch(), 3, new Rng(9));
            CurvatureStatistics smc = CurvatureStatistics.of(t.net(), t.likelihood(), t.batch(), CurvatureKind.monteCarlo(3, new Rng(9)));
            assertTrue(rel(smc.fisher(), mc) < EXACT, t + ": Monte Carlo");
            Matrix emp = DenseFisher.empirical(t.net(), t.likelihood(), t.batch());
            CurvatureStatistics se = CurvatureStatistics.of(t.net(), t.likelihood(), t.batch(), CurvatureKind.empirical());
            assertTrue(rel(se.fisher(), emp) < EXACT, t + ": empirical");
            Curvature bd = Curvature.of(CurvatureChoice.BLOCK_DIAGONAL, t.net(), se);
            assertTrue(rel(bd.toDense(), masked(CurvatureChoice.BLOCK_DIAGONAL, emp, t.net())) < EXACT);
        }
    }

    /** Eq. 22: deep linear network, Gaussian output, exact expectation: Λ ⊗ Λ̃ is the exact diagonal block. */
    @Test
    void kfacAndEkfacAreExactForDeepLinearGaussianNetworks() {
        for (TinyNetworks.Task t : List.of(TinyNetworks.linearSquare(5), TinyNetworks.linearBottleneck(5))) {
            Matrix f = DenseFisher.exact(t.net(), t.likelihood(), t.batch());
            Matrix bd = masked(CurvatureChoice.BLOCK_DIAGONAL, f, t.net());
            for (CurvatureChoice c : List.of(CurvatureChoice.KFAC, CurvatureChoice.EKFAC)) {
                Curvature g = Curvature.of(c, t.net(), t.likelihood(), t.batch(), CurvatureKind.exact());
                assertTrue(rel(g.toDense(), bd) < EXACT, t + " " + c + ": rel " + rel(g.toDense(), bd));
            }
        }
    }

    /** With one example the sum over samples factorizes: K-FAC and EK-FAC equal the exact blocks for any net. */
    @Test
    void kfacAndEkfacAreExactForASingleExample() {
        for (TinyNetworks.Task t : TinyNetworks.all(1)) {
            Matrix f = DenseFisher.exact(t.net(), t.likelihood(), t.batch());
            Matrix bd = masked(CurvatureChoice.BLOCK_DIAGONAL, f, t.net());
            for (CurvatureChoice c : List.of(CurvatureChoice.KFAC, CurvatureChoice.EKFAC)) {
                Curvature g = Curvature.of(c, t.net(), t.likelihood(), t.batch(), CurvatureKind.exact());
                assertTrue(rel(g.toDense(), bd) < EXACT, t + " " + c + ": rel " + rel(g.toDense(), bd));
            }
        }
    }

    /**
     * Elsewhere K-FAC is an approximation: its relative error is reported. EK-FAC is the best
     * diagonal in K-FAC's eigenbasis, so its Frobenius error is never larger, and it keeps the trace.
     */
    @Test
    void kfacErrorIsReportedAndEkfacIsNoWorse() {
        for (TinyNetworks.Task t : List.of(TinyNetworks.tanhMlp(6), TinyNetworks.softmaxClassifier(6))) {
            Matrix f = DenseFisher.exact(t.net(), t.likelihood(), t.batch());
            Matrix bd = masked(CurvatureChoice.BLOCK_DIAGONAL, f, t.net());
            Curvature k = Curvature.of(CurvatureChoice.KFAC, t.net(), t.likelihood(), t.batch(), CurvatureKind.exact());
            Curvature e = Curvature.of(CurvatureChoice.EKFAC, t.net(), t.likelihood(), t.batch(), CurvatureKind.exact());
            double ek = rel(k.toDense(), bd);
            double ee = rel(e.toDense(), bd);
            System.out.printf("%s: relative error of the diagonal blocks: K-FAC %.4f, EK-FAC %.4f%n", t, ek, ee);
            assertTrue(ek > 1e-6, t + ": K-FAC is not exact here");
            assertTrue(ee <= ek * (1 + 1e-12), t + ": EK-FAC error " + ee + " > K-FAC " + ek);
            assertEquals(bd.trace(), e.trace(), 1e-10 * bd.trace());
        }
    }

    @Test
    void kfacSolvesWithPiFactoredDampingAndPseudoInverses() {
        for (TinyNetworks.Task t : TinyNetworks.all(4)) {
            KroneckerFactored k = (KroneckerFactored) Curvature.of(CurvatureChoice.KFAC, t.net(), t.likelihood(),
                    t.batch(), CurvatureKind.exact());
            int p = k.size();
            double rho = 0.05;
            Matrix ref = new Matrix(p, p);
            Matrix pinv = new Matrix(p, p);
            int o = 0;
            for (int l = 0; l < t.net().depth(); l++) {
                Matrix a = k.lambda(l);
                Matrix b = k.lambdaTilde(l);
                double pi = Math.sqrt((a.trace() / a.rows()) / (b.trace() / b.rows()));
                assertEquals(pi, k.pi(l), 1e-12 * pi);
                Matrix da = MatOps.addDiagonalInPlace(a.copy(), pi * Math.sqrt(rho));
                Matrix db = MatOps.addDiagonalInPlace(b.copy(), Math.sqrt(rho) / pi);
                Matrix blk = Inverses.dampedInverse(MatOps.kron(da, db), 0);
                KroneckerFactored.place(ref, blk, o);
                KroneckerFactored.place(pinv, Inverses.pseudoInverse(MatOps.kron(a, b), 1e-10), o);
                o += a.rows() * b.rows();
            }
            double[] v = randomVector(p, 3);
            assertTrue(rel(k.solve(v, rho), MatOps.gemv(1, ref, false, v, 0, null)) < 1e-9, t + ": damped");
            double[] g = k.multiply(randomVector(p, 4));
            assertTrue(rel(k.solve(g, 0), MatOps.gemv(1, pinv, false, g, 0, null)) < 1e-6, t + ": pseudo");
            Matrix dense = k.toDense();
            assertTrue(rel(k.multiply(v), MatOps.gemv(1, dense, false, v, 0, null)) < 1e-12);
            assertEquals(dense.trace(), k.trace(), 1e-10 * dense.trace());
        }
    }

    @Test
    void ekfacSolvesAgainstItsDenseForm() {
        for (TinyNetworks.Task t : TinyNetworks.all(4)) {
            Curvature e = Curvature.of(CurvatureChoice.EKFAC, t.net(), t.likelihood(), t.batch(), CurvatureKind.exact());
            checkAlgebra(t + " ekfac", e, e.toDense(), 1e-8);
        }
    }

    /** K &lt; P: the data-space forms of exact and block tri-diagonal solves against dense references. */
    @Test
    void dataSpaceFormsAgreeWithDenseSolves() {
        TinyNetworks.Task t = TinyNetworks.linearSquare(2); // P = 27, K = 6, L K = 18
        Matrix f = DenseFisher.exact(t.net(), t.likelihood(), t.batch());
        CurvatureStatistics s = CurvatureStatistics.of(t.net(), t.likelihood(), t.batch(), CurvatureKind.exact());
        DenseCurvature d = (DenseCurvature) Curvature.of(CurvatureChoice.EXACT, t.net(), s);
        assertTrue(d.usesDualForm());
        BlockTridiagonal b = (BlockTridiagonal) Curvature.of(CurvatureChoice.BLOCK_TRIDIAGONAL, t.net(), s);
        assertTrue(b.usesDualForm());
        checkAlgebra("exact dual", d, f, 1e-8);
        checkAlgebra("tridiag dual", b, masked(CurvatureChoice.BLOCK_TRIDIAGONAL, f, t.net()), 1e-8);
    }

    /** ReLU units with zero errors on some samples (dead on them): unit-wise data-space solves still match. */
    @Test
    void unitWiseDataSpaceSolvesOnAReluNetwork() {
        Network net = Network.dense(List.of(10, 12, 12, 1), org.natgrad.nn.Activation.RELU,
                org.natgrad.nn.Activation.IDENTITY, false, new org.natgrad.nn.Init.Gaussian(Math.sqrt(2)), 5);
        Matrix x = new Matrix(10, 8);
        new Rng(6).fillGaussian(x.data());
        org.natgrad.nn.Batch b = new org.natgrad.nn.Batch(x, new Matrix(1, 8));
        Matrix f = DenseFisher.exact(net, org.natgrad.likelihood.Gaussian.unit(), b);
        CurvatureStatistics s = CurvatureStatistics.jacobian(net, x);
        int zeros = 0;
        for (double v : s.errors()[0].data()) {
            zeros += v == 0 ? 1 : 0;
        }
        assertTrue(zeros > 0, "some units are inactive on some examples");
        Curvature u = Curvature.of(CurvatureChoice.UNIT_WISE, net, s);
        Matrix ref = masked(CurvatureChoice.UNIT_WISE, f, net);
        assertTrue(rel(u.toDense(), ref) < EXACT);
        checkAlgebra("relu unit-wise dual", u, ref, 1e-8);
    }

    @Test
    void tridiagonalAlphaAndSingularT() {
        assertEquals(1, BlockTridiagonal.alpha(1), 1e-12);
        assertTrue(Double.isNaN(BlockTridiagonal.alpha(2)));
        double[] expected = {1, Double.NaN, 1, 2, Double.NaN, 2, 3, Double.NaN, 3, 4};
        for (int l = 1; l <= 10; l++) {
            assertEquals(expected[l - 1], BlockTridiagonal.alpha(l), 1e-9, "L = " + l);
        }
    }

    @Test
    void badInputIsNamed() {
        TinyNetworks.Task t = TinyNetworks.tanhMlp(3);
        Curvature c = Curvature.of(CurvatureChoice.KFAC, t.net(), t.likelihood(), t.batch(), CurvatureKind.exact());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.solve(new double[3], 0.1));
        assertTrue(e.getMessage().contains("P = " + c.size()), e.getMessage());
        double[] nan = new double[c.size()];
        nan[2] = Double.NaN;
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> c.multiply(nan));
        assertTrue(n.getMessage().contains("entry 2 is NaN"), n.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.solve(new double[c.size()], -1));
        assertThrows(IllegalArgumentException.class, () -> c.solve(new double[c.size()], Double.NaN));
        assertEquals(CurvatureChoice.UNIT_WISE, CurvatureChoice.parse("unitwise"));
        assertEquals(CurvatureChoice.BLOCK_TRIDIAGONAL, CurvatureChoice.parse(" TriDiag "));
        for (CurvatureChoice ch : CurvatureChoice.values()) {
            assertEquals(ch, CurvatureChoice.parse(ch.label()));
        }
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> CurvatureChoice.parse("kfca"));
        assertTrue(p.getMessage().contains("kfac") && p.getMessage().contains("kfca"), p.getMessage());
    }
}
