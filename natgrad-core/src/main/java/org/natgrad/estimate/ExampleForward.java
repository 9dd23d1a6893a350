package org.natgrad.estimate;

import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Network;
import org.natgrad.nn.Trace;

/**
 * The forward pass of one example through a network ({@link Network#forward} on a single column),
 * as flat per-layer arrays with the activation derivatives the second-order estimators need.
 * Layers are 0-based; layer l has n_l outputs and takes n_{l-1} inputs.
 *
 * @param inputsWithBias x̄_{l-1} = [x_{l-1}; 1], the input of layer l with a 1 appended when the
 *                     layer has a bias (length n_{l-1} + 1), else x_{l-1} (length n_{l-1})
 * @param firstDerivs  φ'_l(a_l) (length n_l)
 * @param secondDerivs φ''_l(a_l) (length n_l)
 * @param output       h = x_L (length n_L)
 */
record ExampleForward(double[][] inputsWithBias, double[][] firstDerivs, double[][] secondDerivs, double[] output) {

    /** The pass at input x (length n_0; not modified). */
    static ExampleForward of(Network net, double[] x, String who) {
        if (x.length != net.inputSize()) {
            throw new IllegalArgumentException(who + ": input has length " + x.length + " but the network takes "
                    + net.inputSize());
        }
        Trace t = net.forward(new Matrix(x.length, 1, x.clone()));
        int layers = net.depth();
        double[][] in = new double[layers][];
        double[][] d1 = new double[layers][];
        double[][] d2 = new double[layers][];
        for (int l = 0; l < layers; l++) {
            Activation act = net.denseLayer(l).activation();
            double[] a = t.preActivation(l).data();
            double[] o = t.layerOutput(l).data();
            in[l] = t.inputWithBias(l).data();
            d1[l] = new double[a.length];
            d2[l] = new double[a.length];
            for (int k = 0; k < a.length; k++) {
                d1[l][k] = act.derivative(a[k], o[k]);
                d2[l][k] = act.secondDerivative(a[k]);
            }
        }
        return new ExampleForward(in, d1, d2, t.output().data());
    }
}
