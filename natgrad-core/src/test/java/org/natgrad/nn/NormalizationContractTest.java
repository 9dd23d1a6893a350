package org.natgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Naive;
import org.natgrad.random.Rng;

/**
 * {@link LayerContractTest} for {@link Affine} (per channel: 3 channels x 4 locations, and a
 * 5-feature vector) and {@link LayerNorm} (12 features, ε = 1e-5 and ε = 0.5), with random γ, β. The
 * hand forward passes are the textbook formulas in plain loops: y(c, l) = γ_c x(c, l) + β_c, and
 * y = γ ⊙ (x − μ)/√(σ² + ε) + β with the biased variance σ² = mean((x − μ)²) computed by two sums.
 */
class NormalizationContractTest extends LayerContractTest {

    @Override
    List<Layer> cases(Rng rng) {
        List<Layer> out = new ArrayList<>();
        out.add(new Affine(4, Naive.gaussian(3, 1, rng), Naive.gaussian(3, 1, rng)));
        out.add(new Affine(1, Naive.gaussian(5, 1, rng), Naive.gaussian(5, 1, rng)));
        out.add(new LayerNorm(Naive.gaussian(12, 1, rng), Naive.gaussian(12, 1, rng), LayerNorm.DEFAULT_EPS));
        out.add(new LayerNorm(Naive.gaussian(12, 1, rng), Naive.gaussian(12, 1, rng), 0.5));
        return out;
    }

    @Override
    Matrix input(Layer layer, int m, Rng rng) {
        return Naive.gaussian(layer.inputs(), m, rng);
    }

    @Override
    Layer.Forward handForward(Layer layer, Matrix x) {
        Matrix y = new Matrix(x.rows(), x.cols());
        Matrix g = layer.weights();
        Matrix b = layer.bias();
        if (layer instanceof Affine a) {
            for (int m = 0; m < x.cols(); m++) {
                for (int l = 0; l < a.locations(); l++) {
                    for (int c = 0; c < a.channels(); c++) {
                        int row = c + a.channels() * l;
                        y.set(row, m, g.get(c, 0) * x.get(row, m) + b.get(c, 0));
                    }
                }
            }
        } else {
            double eps = ((LayerNorm) layer).eps();
            int n = x.rows();
            for (int m = 0; m < x.cols(); m++) {
                double s = 0;
                double s2 = 0;
                for (int i = 0; i < n; i++) {
                    s += x.get(i, m);
                }
                double mu = s / n;
                for (int i = 0; i < n; i++) {
                    s2 += (x.get(i, m) - mu) * (x.get(i, m) - mu);
                }
                double sd = Math.sqrt(s2 / n + eps);
                for (int i = 0; i < n; i++) {
                    y.set(i, m, g.get(i, 0) * (x.get(i, m) - mu) / sd + b.get(i, 0));
                }
            }
        }
        return new Layer.Forward(y, y);
    }

    @Test
    void layerNormOfAConstantShiftIsTheShift() {
        // x = (1, 3): μ = 2, σ² = 1, ε = 1e-5 → x̂ = ±1/√1.00001
        LayerNorm ln = LayerNorm.of(2, 1e-5);
        Matrix y = ln.forward(Matrix.column(1, 3)).output();
        assertEquals(-1 / Math.sqrt(1.00001), y.get(0, 0), 1e-15);
        assertEquals(1 / Math.sqrt(1.00001), y.get(1, 0), 1e-15);
    }
}
