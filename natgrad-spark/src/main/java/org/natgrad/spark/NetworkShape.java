package org.natgrad.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Dense;
import org.natgrad.nn.Network;

/**
 * The architecture of a {@link Network} without its weights, what a partition needs to rebuild
 * the network from the broadcast flat parameters.
 *
 * @param widths      n_0, n_1, ..., n_L
 * @param activations φ of each layer (L entries)
 * @param bias        whether each layer has a bias (L entries)
 */
record NetworkShape(int[] widths, Activation[] activations, boolean[] bias) implements Serializable {

    static NetworkShape of(Network net) {
        int depth = net.depth();
        int[] w = new int[depth + 1];
        Activation[] a = new Activation[depth];
        boolean[] b = new boolean[depth];
        w[0] = net.inputSize();
        for (int i = 0; i < depth; i++) {
            w[i + 1] = net.layer(i).outputs();
            a[i] = net.denseLayer(i).activation(); // the shape ships dense layers only (refused otherwise by name)
            b[i] = net.layer(i).hasBias();
        }
        return new NetworkShape(w, a, b);
    }

    /** The network with these layers and the parameters {@code flat} (the {@link org.natgrad.nn.ParamVector} flat order). */
    Network build(double[] flat) {
        List<Dense> layers = new ArrayList<>(activations.length);
        for (int i = 0; i < activations.length; i++) {
            layers.add(new Dense(new Matrix(widths[i + 1], widths[i]), bias[i] ? new Matrix(widths[i + 1], 1) : null,
                    activations[i]));
        }
        Network net = new Network(layers);
        net.parameters().setFromFlat(flat);
        return net;
    }

    /** d_l, layer l's input size with its bias row. */
    int augmentedInputs(int l) {
        return widths[l] + (bias[l] ? 1 : 0);
    }

    /** n_l, layer l's output size. */
    int outputs(int l) {
        return widths[l + 1];
    }

    int depth() {
        return activations.length;
    }

    /** P, the number of parameters. */
    int parameters() {
        int p = 0;
        for (int l = 0; l < depth(); l++) {
            p += augmentedInputs(l) * outputs(l);
        }
        return p;
    }
}
