package org.natgrad.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.curvature.DenseFisher;
import org.natgrad.likelihood.Categorical;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;

/**
 * S6: the matrix-free per-layer trace forms equal the block sums of the element-wise closed forms
 * (which {@link EstimatorVarianceTest} checks against Monte Carlo), for every family and for
 * curved and linear output layers, at one input and with inputs sampled.
 */
class LayerVarianceTest {
    private static final double[][] INPUTS = {{0.4, -0.9, 1.3}, {-1.2, 0.3, 0.5}, {0.9, 1.1, -0.4}};

    private static double blockSum(Matrix m, int from, int to) {
        double s = 0;
        for (int c = from; c < to; c++) {
            for (int r = from; r < to; r++) {
                s += m.get(r, c);
            }
        }
        return s;
    }

    private static void close(double expect, double actual, String what) {
        assertEquals(expect, actual, 1e-9 * (1 + Math.abs(expect)), what);
    }

    @Test
    void traceFormsEqualBlockSumsOfElementwiseVariances() {
        ExponentialFamily[] families = {new ExponentialFamily.CategoricalFamily(), new ExponentialFamily.BernoulliFamily(),
                new ExponentialFamily.GaussianFamily(0.7), new ExponentialFamily.PoissonFamily()};
        Activation[][] acts = {{Activation.TANH, Activation.IDENTITY}, {Activation.SIGMOID, Activation.TANH},
                {Activation.SOFTPLUS, Activation.IDENTITY}};
        for (ExponentialFamily fam : families) {
            for (Activation[] act : acts) {
                Network net = Network.dense(List.of(3, 4, 2, 3), act[0], act[1], true, new Init.Gaussian(0.9), 31);
                for (int m : new int[] {1, 3}) {
                    List<OutputDerivatives> xs = new ArrayList<>();
                    Matrix in = new Matrix(3, m);
                    for (int k = 0; k < m; k++) {
                        xs.add(OutputDerivatives.secondOrder(net, INPUTS[k]));
                        for (int r = 0; r < 3; r++) {
                            in.set(r, k, INPUTS[k][r]);
                        }
                    }
                    ClosedFormVariance.Elementwise cf = ClosedFormVariance.joint(xs, fam, 1);
                    Matrix fisher = new Matrix(net.parameterCount(), net.parameterCount());
                    Matrix avgFixed1 = new Matrix(net.parameterCount(), net.parameterCount());
                    Matrix avgFixed2 = new Matrix(net.parameterCount(), net.parameterCount());
                    Matrix avgB1 = new Matrix(net.parameterCount(), net.parameterCount());
                    Matrix avgB2 = new Matrix(net.parameterCount(), net.parameterCount());
                    for (OutputDerivatives x : xs) {
                        ClosedFormVariance.Elementwise f = ClosedFormVariance.fixedInput(x, fam, 1);
                        org.natgrad.linalg.MatOps.axpy(1.0 / m, FisherEstimators.fisher(x, fam), fisher);
                        org.natgrad.linalg.MatOps.axpy(1.0 / m, f.var1(), avgFixed1);
                        org.natgrad.linalg.MatOps.axpy(1.0 / m, f.var2(), avgFixed2);
                        org.natgrad.linalg.MatOps.axpy(1.0 / m, f.bound1(), avgB1);
                        org.natgrad.linalg.MatOps.axpy(1.0 / m, f.bound2(), avgB2);
                    }
                    LayerVariance.Result r = LayerVariance.compute(net, fam, in);
                    String at = fam.label() + " " + act[0] + "/" + act[1] + " M=" + m;
                    double totalFixed1 = blockSum(avgFixed1, 0, net.parameterCount());
                    close(totalFixed1, r.totalVar1(), at + " whole-network Var(Î1)");
                    int off = 0;
                    for (LayerVariance.Layer layer : r.layers()) {
                        int to = off + layer.parameters();
                        String al = at + " layer " + layer.layer();
                        close(blockSum(avgFixed1, off, to), layer.var1(), al + " Var(Î1)");
                        close(blockSum(avgFixed2, off, to), layer.var2(), al + " Var(Î2)");
                        close(blockSum(cf.var1(), off, to), layer.var1() + layer.inputVariance(), al + " joint Var(Î1)");
                        close(blockSum(cf.var2(), off, to), layer.var2() + layer.inputVariance(), al + " joint Var(Î2)");
                        close(blockSum(avgB1, off, to), layer.bound1(), al + " bound 1");
                        close(blockSum(avgB2, off, to), layer.bound2(), al + " bound 2");
                        double tr = 0;
                        double fro = 0;
                        for (int a = off; a < to; a++) {
                            tr += fisher.get(a, a);
                            for (int b = off; b < to; b++) {
                                fro += fisher.get(a, b) * fisher.get(a, b);
                            }
                        }
                        close(tr, layer.fisherTrace(), al + " trace");
                        close(Math.sqrt(fro), layer.fisherFrobenius(), al + " Frobenius");
                        off = to;
                    }
                }
            }
        }
    }

    @Test
    void agreesWithDenseFisherAndScalesWithSamples() {
        Network net = Network.dense(List.of(3, 5, 4), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 2);
        Matrix in = Matrix.ofRows(INPUTS[0], INPUTS[1], INPUTS[2]).transpose();
        Matrix dense = DenseFisher.exact(net, new Categorical(), in);
        LayerVariance.Result r = LayerVariance.compute(net, ExponentialFamily.of(new Categorical()), in);
        double tr = 0;
        for (int a = 0; a < net.layer(0).parameterCount(); a++) {
            tr += dense.get(a, a);
        }
        close(tr, r.layers().get(0).fisherTrace(), "trace vs DenseFisher");
        LayerVariance.Layer l0 = r.layers().get(0);
        close(0.5 * l0.jointVariance(1, 10), l0.jointVariance(1, 20), "S8 halving Var(Î1)");
        close(0.5 * l0.jointVariance(2, 10), l0.jointVariance(2, 20), "S8 halving Var(Î2)");
        long need = l0.samplesFor(1, 0.1);
        assertTrue(l0.relativeError(1, need) <= 0.1 + 1e-12 && (need == 1 || l0.relativeError(1, need - 1) > 0.1));
        // last layer with identity output: Var(Î2) block sum is exactly zero
        assertEquals(0.0, r.layers().get(1).var2(), 0.0);
    }

    @Test
    void rejectsMismatchedInputs() {
        Network net = Network.dense(List.of(3, 5, 4), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerVariance.compute(net, new ExponentialFamily.GaussianFamily(1), new Matrix(2, 4)));
        assertTrue(e.getMessage().contains("2x4") && e.getMessage().contains("3 inputs"), e.getMessage());
    }
}
