package org.natgrad.experiment.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.curvature.CurvatureChoice;

/** The memory estimate against counts made by hand for a 4-6-3 network with biases. */
class MemoryEstimateTest {

    private static TrainOptions.Builder base() {
        return TrainOptions.builder().layers(List.of(4, 6, 3)).batchSize(10).examples(100)
                .data(new DataSource.Teacher(100, 20, 0));
    }

    @Test
    void countsEveryPartForAdamAndNgd() throws Exception {
        // P = 5*6 + 7*3 = 51; weights, gradient and teacher 3P doubles
        MemoryEstimate adam = MemoryEstimate.of(base().optimizer(OptimizerChoice.ADAM).learningRate(0.01).build());
        assertEquals(3 * 51 * 8, adam.weights());
        assertEquals(2 * 51 * 8, adam.optimizer());
        assertEquals((4 + 3) * 120 * 8, adam.data());
        // widest adjacent pair 4+6 over the 100 training examples, plus 3 x (4+6+3) x batch 10
        assertEquals((10 * 100 + 3 * 13 * 10) * 8, adam.activations());
        assertEquals(adam.weights() + adam.optimizer() + adam.data() + adam.activations(), adam.total());

        // Eq. 20 rule: rollback + direction 2P, and 3 ((4+1)^2 + 6^2) + 3 ((6+1)^2 + 3^2) = 357 for the factors
        MemoryEstimate ngd = MemoryEstimate.of(base().optimizer(OptimizerChoice.NGD).build());
        assertEquals((2 * 51 + 357) * 8, ngd.optimizer());
        // exact Fisher: P^2
        MemoryEstimate exact = MemoryEstimate.of(base().optimizer(OptimizerChoice.NGD)
                .naturalGradient(org.natgrad.optim.NaturalGradientOptions.paperDefaults()
                        .withCurvature(CurvatureChoice.EXACT)).build());
        assertEquals((2 * 51 + 51 * 51) * 8, exact.optimizer());
        MemoryEstimate sgd = MemoryEstimate.of(base().build());
        assertEquals(0, sgd.optimizer());
    }

    @Test
    void refusesWithTheNumbers() throws Exception {
        MemoryEstimate e = MemoryEstimate.of(base().build());
        e.check(e.total(), List.of(4, 6, 3)); // fits exactly: no exception
        MemoryEstimate.InsufficientMemoryException x = assertThrows(MemoryEstimate.InsufficientMemoryException.class,
                () -> e.check(e.total() - 1, List.of(4, 6, 3)));
        assertTrue(x.getMessage().contains("the network 4-6-3 needs about") && x.getMessage().contains("at most")
                && x.getMessage().contains("-Xmx"), x.getMessage());
    }
}
