package org.natgrad.experiment.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.experiment.Json;
import org.natgrad.nn.Activation;

class TrainOptionsTest {

    private static void rejects(UnaryOperator<TrainOptions.Builder> change, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> change.apply(TrainOptions.builder()).build());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should mention '" + f + "'");
        }
    }

    @Test
    void defaultsAreValidAndDocumented() {
        TrainOptions o = TrainOptions.builder().build();
        assertEquals(List.of(20, 30, 20), o.layers());
        assertEquals(Activation.TANH, o.activation());
        assertEquals(OptimizerChoice.SGD, o.optimizer());
        assertEquals(10, o.epochs());
        assertEquals(0, o.examples());
        assertEquals(DataSource.Teacher.paper(), o.data());
    }

    @Test
    void eachBadValueIsNamed() {
        rejects(b -> b.layers(List.of(20)), "layers", "two widths");
        rejects(b -> b.layers(List.of(20, 0, 3)), "layers", "[20, 0, 3]");
        rejects(b -> b.learningRate(0), "learning rate", "0.0");
        rejects(b -> b.learningRate(Double.NaN), "learning rate", "NaN");
        rejects(b -> b.learningRate(Double.POSITIVE_INFINITY), "learning rate");
        rejects(b -> b.momentum(1), "momentum", "[0, 1)");
        rejects(b -> b.momentum(-0.1), "momentum");
        rejects(b -> b.optimizer(OptimizerChoice.ADAM).momentum(0.9), "momentum applies to sgd only", "adam");
        rejects(b -> b.batchSize(0), "batch size");
        rejects(b -> b.epochs(0), "exactly one", "epochs (0)");
        rejects(b -> b.epochs(-1), "exactly one");
        rejects(b -> b.evalEvery(-1), "eval-every");
        rejects(b -> b.likelihood(LikelihoodChoice.CATEGORICAL), "teacher", "gaussian");
        rejects(b -> b.data(new DataSource.Teacher(10, 5, 0)).batchSize(11), "batch size 11", "10 training examples");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DataSource.Teacher(0, 5, 0));
        assertTrue(e.getMessage().contains("teacher examples"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DataSource.Teacher(5, 5, -1));
        assertTrue(e.getMessage().contains("noise variance"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DataSource.NpzFiles.holdOut(Path.of("x.npz"), 1.0));
        assertTrue(e.getMessage().contains("test fraction must be in (0, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new DataSource.NpzFiles(Path.of("x.npz"), Path.of("t.npz"), 0.1, false));
        assertTrue(e.getMessage().contains("not both"), e.getMessage());
    }

    @Test
    void epochsAndExamplesReplaceEachOther() {
        TrainOptions o = TrainOptions.builder().examples(500).build();
        assertEquals(0, o.epochs());
        assertEquals(500, o.examples());
        o = o.toBuilder().epochs(3).build();
        assertEquals(3, o.epochs());
        assertEquals(0, o.examples());
    }

    @Test
    void layersAreCopied() {
        List<Integer> w = new ArrayList<>(List.of(2, 3));
        TrainOptions o = TrainOptions.builder().layers(w).build();
        w.set(0, 99);
        assertEquals(List.of(2, 3), o.layers());
    }

    @Test
    void optionsJsonReadsBackToEqualOptions(@TempDir Path dir) throws Exception {
        TrainOptions o = TrainOptions.builder().layers(List.of(4, 5, 2)).activation(Activation.RELU)
                .optimizer(OptimizerChoice.ADAM).learningRate(1e-3).examples(1234).seed(-7)
                .data(new DataSource.Teacher(100, 20, 1e-4)).init(InitChoice.ORTHOGONAL).evalEvery(3).bias(false).build();
        Path f = dir.resolve("options.json");
        Json.write(f, o);
        assertEquals(o, Json.read(f, TrainOptions.class));
        TrainOptions n = o.toBuilder().data(DataSource.NpzFiles.holdOut(Path.of("d", "x.npz"), 0.2)).build();
        Json.write(f, n);
        assertEquals(n, Json.read(f, TrainOptions.class));
        n = o.toBuilder().data(DataSource.NpzFiles.of(Path.of("a.npz"), Path.of("b.npz"))).build();
        Json.write(f, n);
        assertEquals(n, Json.read(f, TrainOptions.class));
    }

    @Test
    void everyOptimizerChoiceBuildsItsOptimizer() {
        TrainOptions o = TrainOptions.builder().build();
        for (OptimizerChoice c : OptimizerChoice.values()) {
            assertEquals(c.label(), c.create(LikelihoodChoice.GAUSSIAN.create(), o).name().replace("-momentum", ""));
        }
    }
}
