package org.natgrad.experiment.karakida2020;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.nn.Batch;
import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;

/**
 * Steps in NTK coordinates against a brute-force reference: the Jacobian J_W (N x P) by central
 * finite differences of the network's outputs, J_ω = J_W diag(c_l), and Moore–Penrose inverses of
 * the dense matrices. With ∇L = J^T e/N and F = J^T J/N, exact NGD is Δω = −η J_ω^+ e and
 * block-diagonal NGD is Δω_l = −η J_{ω,l}^+ e; in stored coordinates ΔW_l = c_l Δω_l.
 */
class NtkCoordinatesTest {
    private static final double SIGMA_W2 = 2;
    private static final double ETA = 0.7;

    private record Setup(Network net, Batch batch, Matrix jw, double[] e, double[] c) {
    }

    private static Setup setup() {
        return setupFor(Karakida2020Experiment.network(6, 3, SIGMA_W2, 11)); // 784-6-6-1, P = 4746
    }

    private static Setup setupFor(Network net) {
        TwoClassData d = TwoClassData.synthetic(4, 1, 5);
        Batch b = new Batch(d.trainX(), d.trainY());
        int n = b.inputs().cols();
        ParamVector p = net.parameters();
        double[] theta = p.toFlat();
        Matrix jw = new Matrix(n, theta.length);
        double h = 1e-6;
        for (int i = 0; i < theta.length; i++) {
            double keep = theta[i];
            theta[i] = keep + h;
            p.setFromFlat(theta);
            Matrix up = net.predict(b.inputs());
            theta[i] = keep - h;
            p.setFromFlat(theta);
            Matrix down = net.predict(b.inputs());
            theta[i] = keep;
            for (int k = 0; k < n; k++) {
                jw.set(k, i, (up.get(0, k) - down.get(0, k)) / (2 * h));
            }
        }
        p.setFromFlat(theta);
        Matrix f = net.predict(b.inputs());
        double[] e = new double[n];
        for (int k = 0; k < n; k++) {
            e[k] = f.get(0, k) - b.targets().get(0, k);
        }
        return new Setup(net, b, jw, e, NtkCoordinates.scales(net, SIGMA_W2));
    }

    /** −η A^+ e for the columns [from, to) of a (N x P), scattered into a length-P vector times the column scales. */
    private static double[] minNormStep(Matrix a, double[] e, int from, int to, double[] colScale, double[] out) {
        Matrix block = new Matrix(a.rows(), to - from);
        for (int j = from; j < to; j++) {
            for (int i = 0; i < a.rows(); i++) {
                block.set(i, j - from, a.get(i, j) * colScale[j]);
            }
        }
        double[] x = MatOps.gemv(1, Inverses.pseudoInverse(block, 1e-10), false, e, 0, null);
        for (int j = from; j < to; j++) {
            out[j] = -ETA * x[j - from] * colScale[j];
        }
        return out;
    }

    private static double[] columnScales(Network net, double[] c) {
        ParamVector t = net.parameters();
        double[] s = new double[t.size()];
        for (int l = 0; l < c.length; l++) {
            for (int i = t.offset(l); i < t.offset(l) + t.layerSize(l); i++) {
                s[i] = c[l];
            }
        }
        return s;
    }

    private static double relDiff(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }

    @Test
    void exactStepIsTheMinimumNormStepInOmega() {
        Setup s = setup();
        int p = s.jw().cols();
        double[] ones = new double[p];
        java.util.Arrays.fill(ones, 1);
        double[] cols = columnScales(s.net(), s.c());
        double[] refNtk = minNormStep(s.jw(), s.e(), 0, p, cols, new double[p]);
        double[] refStored = minNormStep(s.jw(), s.e(), 0, p, ones, new double[p]);
        double[] got = NtkCoordinates.step(CurvatureChoice.EXACT, s.net(), s.batch(), ETA, SIGMA_W2);
        assertTrue(relDiff(got, refNtk) < 1e-6, "NTK-coordinate exact step vs −η c∘J_ω^+ e: " + relDiff(got, refNtk));
        // the two coordinates give different exact steps (c_1 = √(2/784) ≠ c_2 = c_3 = √(2/6))
        assertTrue(relDiff(refNtk, refStored) > 1e-2, "exact NGD depends on the coordinates: " + relDiff(refNtk, refStored));
        // both change the linearized outputs by −η e: J_W Δθ = −η e
        double[] df = MatOps.gemv(1, s.jw(), false, got, 0, null);
        for (int k = 0; k < df.length; k++) {
            assertEquals(-ETA * s.e()[k], df[k], 1e-6 * Math.abs(s.e()[k]) + 1e-9);
        }
    }

    @Test
    void blockDiagonalStepIsTheSameInEitherCoordinates() {
        Setup s = setup();
        ParamVector t = s.net().parameters();
        double[] ones = new double[t.size()];
        java.util.Arrays.fill(ones, 1);
        double[] ref = new double[t.size()];
        for (int l = 0; l < t.layers(); l++) {
            minNormStep(s.jw(), s.e(), t.offset(l), t.offset(l) + t.layerSize(l), ones, ref);
        }
        double[] got = NtkCoordinates.step(CurvatureChoice.BLOCK_DIAGONAL, s.net(), s.batch(), ETA, SIGMA_W2);
        assertTrue(relDiff(got, ref) < 1e-6, "block-diagonal step vs −η J_{W,l}^+ e per layer: " + relDiff(got, ref));
        // BD at η changes the linearized outputs by −ηL e (Θ_G = L I); exact NGD at ηL makes the same change with
        // the minimum ω-norm
        double[] exact = NtkCoordinates.step(CurvatureChoice.EXACT, s.net(), s.batch(), ETA * t.layers(), SIGMA_W2);
        assertTrue(NtkCoordinates.omegaNorm(s.net(), exact, SIGMA_W2) <= NtkCoordinates.omegaNorm(s.net(), got, SIGMA_W2)
                * (1 + 1e-9));
    }

    /**
     * The K-FAC step's norm per layer in closed form (math.md §4.4, with H rows h_n, D rows
     * δ_n = ∂f/∂u_l(x_n), A = H^T H/N, B = D^T D/N, ∇ = (1/N) Σ_n e_n δ_n h_n^T, ΔW = −η B^+ ∇ A^+):
     * ‖ΔW_l‖² = η² N² e^T((D D^T)^{-1} ∘ (H H^T)^{-1}) e for a hidden layer and η² e^T (H H^T)^{-1} e
     * for the scalar output layer (B = 1). δ_n comes from the finite-difference Jacobian
     * (J_{n,l} = δ_n h_n^T, so δ_n = J_{n,l} h_n/‖h_n‖²).
     */
    @Test
    void kfacStepNormMatchesItsClosedForm() {
        Network net = Karakida2020Experiment.network(12, 3, SIGMA_W2, 13);
        Setup s = setupFor(net);
        int n = s.e().length;
        double[] step = NtkCoordinates.step(CurvatureChoice.KFAC, net, s.batch(), ETA, SIGMA_W2);
        var trace = net.forward(s.batch().inputs());
        ParamVector t = net.parameters();
        for (int l = 0; l < net.depth(); l++) {
            Matrix h = trace.input(l); // M_in x N
            int mOut = net.layer(l).outputs();
            int mIn = h.rows();
            Matrix d = new Matrix(mOut, n);
            for (int k = 0; k < n; k++) {
                double hh = 0;
                for (int j = 0; j < mIn; j++) {
                    hh += h.get(j, k) * h.get(j, k);
                }
                for (int i = 0; i < mOut; i++) {
                    double v = 0;
                    for (int j = 0; j < mIn; j++) {
                        v += s.jw().get(k, t.offset(l) + i + j * mOut) * h.get(j, k);
                    }
                    d.set(i, k, v / hh);
                }
            }
            Matrix q = Inverses.pseudoInverse(MatOps.gemm(1, h, true, h, false, 0, null), 1e-12);
            Matrix p = l < net.depth() - 1 ? Inverses.pseudoInverse(MatOps.gemm(1, d, true, d, false, 0, null), 1e-12) : null;
            double expected = 0;
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    expected += s.e()[a] * s.e()[b] * q.get(a, b) * (p == null ? 1 : n * n * p.get(a, b));
                }
            }
            expected *= ETA * ETA;
            double got = 0;
            for (int i = t.offset(l); i < t.offset(l) + t.layerSize(l); i++) {
                got += step[i] * step[i];
            }
            assertEquals(expected, got, 1e-5 * expected, "layer " + (l + 1));
        }
    }

    @Test
    void applyMovesTheNetworkByTheStep() {
        Setup s = setup();
        Network moved = s.net().copy();
        double[] before = moved.parameters().toFlat();
        double[] d = NtkCoordinates.step(CurvatureChoice.KFAC, s.net(), s.batch(), ETA, SIGMA_W2);
        double norm = NtkCoordinates.apply(CurvatureChoice.KFAC, moved, s.batch(), ETA, SIGMA_W2);
        double[] after = moved.parameters().toFlat();
        double sq = 0;
        for (int i = 0; i < d.length; i++) {
            assertEquals(before[i] + d[i], after[i], 1e-12 * (1 + Math.abs(before[i])));
        }
        double[] c = NtkCoordinates.scales(s.net(), SIGMA_W2);
        ParamVector t = s.net().parameters();
        for (int l = 0; l < c.length; l++) {
            for (int i = t.offset(l); i < t.offset(l) + t.layerSize(l); i++) {
                sq += d[i] * d[i] / (c[l] * c[l]);
            }
        }
        assertEquals(Math.sqrt(sq), norm, 1e-12 * norm);
        assertEquals(Math.sqrt(2.0 / 784), c[0], 1e-15);
        assertEquals(Math.sqrt(2.0 / 6), c[2], 1e-15);
    }
}
