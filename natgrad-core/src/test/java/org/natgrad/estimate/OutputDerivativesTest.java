package org.natgrad.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;

class OutputDerivativesTest {

    private static double[] outputAt(Network net, double[] x) {
        return net.predict(new Matrix(x.length, 1, x.clone())).data().clone();
    }

    /** Jacobian against central differences of the forward pass; Hessians against central differences of the Jacobian. */
    @Test
    void derivativesMatchFiniteDifferences() {
        for (Activation hidden : new Activation[] {Activation.TANH, Activation.SIGMOID, Activation.SOFTPLUS}) {
            for (Activation out : new Activation[] {Activation.IDENTITY, Activation.TANH}) {
                Network net = Network.dense(List.of(3, 4, 2, 3), hidden, out, true, new Init.Gaussian(1), 11);
                double[] x = {0.3, -0.7, 1.1};
                OutputDerivatives od = OutputDerivatives.secondOrder(net, x);
                ParamVector theta = net.parameters();
                double[] flat = theta.toFlat();
                int p = flat.length;
                double eps = 1e-5;
                double maxJ = 0;
                double maxH = 0;
                double scaleH = 0;
                for (int a = 0; a < p; a++) {
                    double[] plus = flat.clone();
                    double[] minus = flat.clone();
                    plus[a] += eps;
                    minus[a] -= eps;
                    theta.setFromFlat(plus);
                    double[] hp = outputAt(net, x);
                    Matrix jp = OutputDerivatives.jacobian(net, x);
                    theta.setFromFlat(minus);
                    double[] hm = outputAt(net, x);
                    Matrix jm = OutputDerivatives.jacobian(net, x);
                    theta.setFromFlat(flat);
                    for (int g = 0; g < 3; g++) {
                        double fd = (hp[g] - hm[g]) / (2 * eps);
                        maxJ = Math.max(maxJ, Math.abs(fd - od.jacobian().get(g, a)));
                        for (int b = 0; b < p; b++) {
                            double fdh = (jp.get(g, b) - jm.get(g, b)) / (2 * eps);
                            maxH = Math.max(maxH, Math.abs(fdh - od.hessian(g).get(b, a)));
                            scaleH = Math.max(scaleH, Math.abs(fdh));
                        }
                    }
                }
                assertTrue(maxJ < 1e-8, hidden + "/" + out + " Jacobian error " + maxJ);
                assertTrue(scaleH > 0.1, "Hessian should not vanish here");
                assertTrue(maxH < 1e-7, hidden + "/" + out + " Hessian error " + maxH);
            }
        }
    }

    @Test
    void hessianIsExactlyZeroOnLastLayerWeightPairsWithLinearOutput() {
        Network net = Network.dense(List.of(3, 4, 3), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 3);
        OutputDerivatives od = OutputDerivatives.secondOrder(net, new double[] {0.5, -1, 2});
        int first = net.layer(0).parameterCount();
        int p = net.parameterCount();
        for (int g = 0; g < 3; g++) {
            for (int a = first; a < p; a++) {
                for (int b = first; b < p; b++) {
                    assertEquals(0.0, od.hessian(g).get(a, b), 0.0);
                }
            }
        }
    }

    @Test
    void rejectsWrongInputLengthAndHugeNetworks() {
        Network net = Network.dense(List.of(3, 4, 3), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OutputDerivatives.secondOrder(net, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("length 2"), e.getMessage());
        Network big = Network.dense(List.of(100, 100, 100, 10), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 3);
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> OutputDerivatives.secondOrder(big, new double[100]));
        assertTrue(e2.getMessage().contains("LayerVariance"), e2.getMessage());
    }
}
