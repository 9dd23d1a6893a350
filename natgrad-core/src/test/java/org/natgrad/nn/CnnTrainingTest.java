package org.natgrad.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.likelihood.Categorical;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.optim.Adam;
import org.natgrad.optim.FirstOrderOptimizer;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.optim.Sgd;
import org.natgrad.random.Rng;
import org.natgrad.statistics.Gradients;

/**
 * A CNN with every image and normalization layer, end to end: the network's gradient of the
 * cross-entropy against central differences of the loss (h = ε^{1/3} max(1, |θ|), relative 1e-6 in
 * the max norm over all parameters and inputs); SGD and Adam train it on a synthetic task made here
 * (6 x 6 images of a horizontal vs a vertical bar at a random position, plus N(0, 0.3²) noise) to a
 * loss below a third of the initial one (log 2 ≈ 0.69 at chance); one K-FAC and one Eq. 20
 * step (KFC for the convolutions, nothing for pooling, the diagonal fallback for the layer
 * normalization and the affine layer; initial damping 0.1, 32 examples) lowers the loss; the other representations refuse it before any pass, naming the
 * first layer they cannot take.
 */
class CnnTrainingTest {
    static final String MODEL = "input 1x6x6, conv 4 3x3 pad 1, tanh, maxpool 2, layernorm, conv 4 2x2 stride 1, relu, "
            + "avgpool 2, affine, dense 2";

    static Batch bars(int m, Rng rng) {
        Matrix x = new Matrix(36, m);
        Matrix y = new Matrix(2, m);
        for (int j = 0; j < m; j++) {
            int cls = j % 2;
            int at = rng.nextInt(6);
            for (int r = 0; r < 6; r++) {
                for (int c = 0; c < 6; c++) {
                    double bar = (cls == 0 ? r == at : c == at) ? 1.0 : 0.0;
                    x.set(r * 6 + c, j, bar + 0.3 * rng.nextGaussian());
                }
            }
            y.set(cls, j, 1);
        }
        return new Batch(x, y);
    }

    private static Network net(long seed) {
        return ModelSpec.parse(MODEL).build(new Init.Gaussian(1.0), seed);
    }

    @Test
    void theWholeNetworksGradientMatchesCentralDifferences() {
        Network net = net(1);
        Batch b = bars(6, new Rng(2));
        Categorical lik = new Categorical();
        Gradients g = Gradients.of(net, lik, b);
        double[] grad = g.gradient().toFlat();
        ParamVector p = net.parameters();
        double[] theta = p.toFlat();
        double eps = Math.cbrt(Math.ulp(1.0));
        double maxErr = 0;
        double maxG = 0;
        for (int k = 0; k < theta.length; k++) {
            double h = eps * Math.max(1, Math.abs(theta[k]));
            double[] t = theta.clone();
            t[k] += h;
            p.setFromFlat(t);
            double up = lik.loss(net.predict(b.inputs()), b.targets());
            t[k] -= 2 * h;
            p.setFromFlat(t);
            double down = lik.loss(net.predict(b.inputs()), b.targets());
            maxErr = Math.max(maxErr, Math.abs((up - down) / (2 * h) - grad[k]));
            maxG = Math.max(maxG, Math.abs(grad[k]));
        }
        p.setFromFlat(theta);
        assertTrue(maxErr <= 1e-6 * maxG, "max |fd - g| = " + maxErr + " vs max |g| = " + maxG);
    }

    private static double[] train(FirstOrderOptimizer opt, int steps) {
        Network net = net(3);
        Batch b = bars(64, new Rng(4));
        double first = Gradients.of(net, opt.likelihood(), b).loss();
        for (int s = 0; s < steps; s++) {
            opt.step(net, b);
        }
        return new double[] {first, Gradients.of(net, opt.likelihood(), b).loss()};
    }

    @Test
    void sgdAndAdamTrainTheCnn() {
        double[] sgd = train(new Sgd(new Categorical(), 0.2, 0.9), 150);
        assertTrue(sgd[1] < sgd[0] / 3, "SGD loss " + sgd[0] + " -> " + sgd[1]);
        double[] adam = train(new Adam(new Categorical(), 0.01), 150);
        assertTrue(adam[1] < adam[0] / 3, "Adam loss " + adam[0] + " -> " + adam[1]);
    }

    @Test
    void aKfacOrEq20StepOnTheCnnLowersTheLoss() {
        for (CurvatureChoice choice : new CurvatureChoice[] {CurvatureChoice.KFAC, CurvatureChoice.EQ20}) {
            NaturalGradient ngd = new NaturalGradient(new Categorical(),
                    NaturalGradientOptions.builder().curvature(choice).initialDamping(0.1).seed(7).build());
            Network net = net(5);
            Batch b = bars(32, new Rng(6));
            double first = Gradients.of(net, new Categorical(), b).loss();
            ngd.step(net, b);
            double last = Gradients.of(net, new Categorical(), b).loss();
            assertTrue(net.parameters().isFinite(), choice + ": finite weights");
            assertTrue(last < first, choice + ": loss " + first + " -> " + last);
        }
    }

    @Test
    void theOtherRepresentationsRefuseTheCnnNamingTheLayer() {
        NaturalGradient ngd = new NaturalGradient(new Categorical(),
                NaturalGradientOptions.builder().curvature(CurvatureChoice.DIAGONAL).build());
        Network net = net(5);
        ParamVector before = net.parameters().copy();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ngd.step(net, bars(4, new Rng(6))));
        assertTrue(e.getMessage().contains("layer 1 (conv"), e.getMessage());
        assertTrue(MatOps.relativeError(new Matrix(1, before.size(), before.toFlat()),
                new Matrix(1, before.size(), net.parameters().toFlat())) == 0, "weights untouched");
    }
}
