package org.natgrad.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.natgrad.statistics.CurvatureStatistics;
import org.junit.jupiter.api.Test;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.random.Rng;

class KroneckerFactorsTest {

    @Test
    void linearNetFactorsMatchEq14And15ExactlyAndBySamplingB14() {
        Rng rng = new Rng(1);
        Network net = Network.dense(List.of(3, 4, 2), Activation.IDENTITY, Activation.IDENTITY, false, new Init.Gaussian(1), 2);
        Matrix x = DenseFisherTest.gaussianMatrix(3, 6, rng);
        Matrix cov = MatOps.addDiagonalInPlace(MatOps.syrk(0.3, DenseFisherTest.gaussianMatrix(2, 2, rng), false, 0, null), 0.5);
        Gaussian lik = Gaussian.withCovariance(cov);
        Matrix w2 = net.layer(1).weights();
        Matrix prec = lik.precision(2);
        Matrix[] expectedTilde = {MatOps.multiplyTransA(w2, MatOps.multiply(prec, w2)), prec};
        Matrix h = MatOps.multiply(net.layer(0).weights(), x);
        Matrix[] expectedLambda = {MatOps.scaleInPlace(1.0 / 6, MatOps.multiplyTransB(x, x)),
                MatOps.scaleInPlace(1.0 / 6, MatOps.multiplyTransB(h, h))};
        CurvatureStatistics exact = CurvatureStatistics.kronecker(net, lik, net.forward(x), 0, null);
        // B14: K model samples per example, Monte Carlo error ~ 1/√(KM) ≈ 0.4 %; accept 3 %
        CurvatureStatistics sampled = CurvatureStatistics.kronecker(net, lik, net.forward(x), 10_000, new Rng(3));
        for (int i = 0; i < 2; i++) {
            assertEquals(0, MatOps.relativeError(exact.lambda(i), expectedLambda[i]), 1e-12);
            assertEquals(0, MatOps.relativeError(exact.lambdaTilde(i), expectedTilde[i]), 1e-12);
            assertEquals(0, MatOps.relativeError(sampled.lambdaTilde(i), expectedTilde[i]), 0.03);
        }
    }

    @Test
    void augmentedBlocksFollowTheFlatOrder() {
        Network net = Network.dense(List.of(2, 3), Activation.IDENTITY, Activation.IDENTITY, true, new Init.Gaussian(1), 4);
        ParamVector p = net.parameters();
        Matrix block = p.augmentedBlock(0);
        assertEquals(3, block.rows());
        assertEquals(3, block.cols());
        assertArrayEquals(p.toFlat(), block.data(), 0.0);
        for (int r = 0; r < 3; r++) {
            assertEquals(p.bias(0).get(r, 0), block.get(r, 2), 0.0);
        }
        ParamVector z = ParamVector.zerosLike(p);
        z.setAugmentedBlock(0, block);
        assertArrayEquals(p.toFlat(), z.toFlat(), 0.0);
    }
}
