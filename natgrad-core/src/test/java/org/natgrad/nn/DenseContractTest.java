package org.natgrad.nn;

import java.util.ArrayList;
import java.util.List;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Naive;
import org.natgrad.random.Rng;

/**
 * {@link LayerContractTest} for {@link Dense}: 3 x 4 layers with every activation, with and
 * without bias; the hand forward pass is a_ij = Σ_k W_ik x_kj + b_i in plain loops, y = φ(a).
 * ReLU inputs are redrawn until every pre-activation is at least 1e-2 from the kink (a finite
 * difference moves it by at most ~1e-4).
 */
class DenseContractTest extends LayerContractTest {

    @Override
    List<Layer> cases(Rng rng) {
        List<Layer> out = new ArrayList<>();
        for (Activation act : Activation.values()) {
            for (boolean bias : new boolean[] {true, false}) {
                Matrix w = Naive.gaussian(3, 4, rng);
                Matrix b = bias ? Naive.gaussian(3, 1, rng) : null;
                out.add(new Dense(w, b, act));
            }
        }
        return out;
    }

    @Override
    Matrix input(Layer layer, int m, Rng rng) {
        return gaussianAwayFromKink(layer, m, rng, ((Dense) layer).activation() == Activation.RELU);
    }

    @Override
    Layer.Forward handForward(Layer layer, Matrix x) {
        Dense d = (Dense) layer;
        Matrix w = d.weights();
        Matrix a = new Matrix(d.outputs(), x.cols());
        Matrix y = new Matrix(d.outputs(), x.cols());
        for (int j = 0; j < x.cols(); j++) {
            for (int i = 0; i < d.outputs(); i++) {
                double s = d.hasBias() ? d.bias().get(i, 0) : 0;
                for (int k = 0; k < d.inputs(); k++) {
                    s += w.get(i, k) * x.get(k, j);
                }
                a.set(i, j, s);
                y.set(i, j, d.activation().value(s));
            }
        }
        return new Layer.Forward(a, y);
    }
}
