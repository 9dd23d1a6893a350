package org.natgrad.experiment.bernacchia2018;

import java.util.List;
import org.natgrad.nn.Activation;

/**
 * What one panel trains and for how long. Budgets are counted in training examples seen
 * (steps x minibatch size); test error is evaluated every {@code evalEvery} examples.
 *
 * @param panel           which panel
 * @param widths          n_0, ..., n_L (input first)
 * @param hidden          activation of layers 1..L-1
 * @param output          activation of layer L
 * @param trainExamples   training-set size; for panel D the most examples to take from the data (0 = the default split)
 * @param testExamples    test-set size; for panel D the most test examples to take (0 = the default split)
 * @param noiseVariance   variance of the target noise added to the teacher's outputs (A–C; ignored for D)
 * @param sgdBatch        SGD minibatch size M
 * @param sgdGrid         the SGD learning rates α searched (in the convention of {@link SgdStep})
 * @param gridExamples    examples each grid candidate is trained for before the best is chosen
 * @param sgdExamples     total examples for the chosen SGD run (the grid prefix included)
 * @param ngdBatch        NGD minibatch size M
 * @param ngdAlpha        NGD step size α
 * @param ngdSamples      model samples K per example for Λ̃
 * @param initialDamping  λ_0 of Eq. 21
 * @param ngdExamples     total examples for NGD
 * @param evalEvery       examples between test-error evaluations
 * @param imagePooling    panel D: side of the square average pooling applied to the 28x28 images
 *                        (1 = none; 2 gives 14x14 images, used by {@code --quick}); 1 for A–C
 */
public record PanelSpec(Panel panel, List<Integer> widths, Activation hidden, Activation output,
                        int trainExamples, int testExamples, double noiseVariance,
                        int sgdBatch, List<Double> sgdGrid, long gridExamples, long sgdExamples,
                        int ngdBatch, double ngdAlpha, int ngdSamples, double initialDamping, long ngdExamples,
                        long evalEvery, int imagePooling) {

    /** The official code's SGD grid for the linear panels. */
    public static final List<Double> LINEAR_GRID = List.of(0.02, 0.04, 0.06, 0.08);
    /** The official code's SGD grid for the autoencoder. */
    public static final List<Double> MNIST_GRID = List.of(0.04, 0.06, 0.08);

    public PanelSpec {
        widths = List.copyOf(widths);
        sgdGrid = List.copyOf(sgdGrid);
        if (widths.size() < 2 || widths.stream().anyMatch(w -> w <= 0)) {
            throw new IllegalArgumentException("panel " + panel + ": widths must be at least two positive numbers, got " + widths);
        }
        if (trainExamples < 0 || testExamples < 0) {
            throw new IllegalArgumentException("panel " + panel + ": example counts must be >= 0, got train "
                    + trainExamples + ", test " + testExamples);
        }
        if (panel.isLinear() && (trainExamples == 0 || testExamples == 0)) {
            throw new IllegalArgumentException("panel " + panel + ": teacher data needs positive train and test sizes");
        }
        if (!(noiseVariance >= 0) || Double.isInfinite(noiseVariance)) {
            throw new IllegalArgumentException("panel " + panel + ": noise variance must be finite and >= 0, got " + noiseVariance);
        }
        if (sgdBatch <= 0 || ngdBatch <= 0) {
            throw new IllegalArgumentException("panel " + panel + ": batch sizes must be positive, got SGD "
                    + sgdBatch + ", NGD " + ngdBatch);
        }
        if (panel.isLinear() && (sgdBatch > trainExamples || ngdBatch > trainExamples)) {
            throw new IllegalArgumentException("panel " + panel + ": batch sizes (SGD " + sgdBatch + ", NGD " + ngdBatch
                    + ") exceed the " + trainExamples + " training examples");
        }
        if (sgdGrid.isEmpty() || sgdGrid.stream().anyMatch(a -> !(a > 0) || Double.isInfinite(a))) {
            throw new IllegalArgumentException("panel " + panel + ": the SGD grid must be non-empty finite positive rates, got " + sgdGrid);
        }
        if (gridExamples <= 0 || sgdExamples < gridExamples || ngdExamples <= 0) {
            throw new IllegalArgumentException("panel " + panel + ": need 0 < grid examples <= SGD examples and NGD examples > 0, got grid "
                    + gridExamples + ", SGD " + sgdExamples + ", NGD " + ngdExamples);
        }
        if (!(ngdAlpha > 0) || Double.isInfinite(ngdAlpha) || ngdSamples <= 0) {
            throw new IllegalArgumentException("panel " + panel + ": NGD needs α > 0 and K >= 1, got α " + ngdAlpha + ", K " + ngdSamples);
        }
        if (!(initialDamping > 0) || Double.isInfinite(initialDamping)) {
            throw new IllegalArgumentException("panel " + panel + ": initial damping must be finite and > 0, got " + initialDamping);
        }
        if (imagePooling != 1 && imagePooling != 2 && imagePooling != 4) {
            throw new IllegalArgumentException("panel " + panel + ": image pooling must be 1, 2 or 4, got " + imagePooling);
        }
        if (!panel.isLinear() && widths.get(0) != 784 / (imagePooling * imagePooling)) {
            throw new IllegalArgumentException("panel " + panel + ": input width " + widths.get(0) + " does not match "
                    + (28 / imagePooling) + "x" + (28 / imagePooling) + " images");
        }
        if (evalEvery <= 0) {
            throw new IllegalArgumentException("panel " + panel + ": evaluation interval must be positive, got " + evalEvery);
        }
    }

    /** Number of layers L. */
    public int depth() {
        return widths.size() - 1;
    }

    /**
     * The paper's set-up (math.md §2.8; official-code values where the paper is silent).
     * Linear panels: 10^4 / 10^3 examples, noise variance 10^-6, SGD M = 20 on the grid
     * {0.02, 0.04, 0.06, 0.08}, NGD α = 1, M = 1000, K = 1, λ_0 = 0.01, 40 passes (4·10^5
     * examples) for both, evaluated every 1000 examples. D: the default split of the data, SGD
     * grid {0.04, 0.06, 0.08} searched on 5·10^4 examples, λ_0 = 1, 10^6 examples for both (the
     * milestones the issue asks for), evaluated every 20 000 examples.
     */
    public static PanelSpec paper(Panel p) {
        if (p.isLinear()) {
            return new PanelSpec(p, p.paperWidths(), Activation.IDENTITY, Activation.IDENTITY,
                    10_000, 1_000, 1e-6, 20, LINEAR_GRID, 100_000, 400_000,
                    1000, 1.0, 1, 0.01, 400_000, 1_000, 1);
        }
        return new PanelSpec(p, p.paperWidths(), Activation.TANH, Activation.IDENTITY,
                0, 0, 0, 20, MNIST_GRID, 50_000, 1_000_000,
                1000, 1.0, 1, 1.0, 1_000_000, 20_000, 1);
    }

    /** Quick panel D: the paper's autoencoder shrunk 4x in every layer, for 14x14 images. */
    public static final List<Integer> QUICK_D_WIDTHS = List.of(196, 100, 50, 25, 12, 25, 50, 100, 196);

    /**
     * The reduced set-up of {@code --quick}: the same networks and data sizes for A–C with
     * budgets of 10 passes (10^5 examples) and a 2·10^4-example grid prefix; D smaller: 14x14
     * images (2x2 average pooling) through {@link #QUICK_D_WIDTHS}, 2000 training and 500 test
     * digits, 2·10^4 examples.
     */
    public static PanelSpec quick(Panel p) {
        if (p.isLinear()) {
            return new PanelSpec(p, p.paperWidths(), Activation.IDENTITY, Activation.IDENTITY,
                    10_000, 1_000, 1e-6, 20, LINEAR_GRID, 20_000, 100_000,
                    1000, 1.0, 1, 0.01, 100_000, 1_000, 1);
        }
        return new PanelSpec(p, QUICK_D_WIDTHS, Activation.TANH, Activation.IDENTITY,
                2_000, 500, 0, 20, MNIST_GRID, 5_000, 20_000,
                1000, 1.0, 1, 1.0, 20_000, 2_000, 2);
    }

    /** A copy with another SGD grid. */
    public PanelSpec withSgdGrid(List<Double> grid) {
        return new PanelSpec(panel, widths, hidden, output, trainExamples, testExamples, noiseVariance, sgdBatch, grid,
                gridExamples, sgdExamples, ngdBatch, ngdAlpha, ngdSamples, initialDamping, ngdExamples, evalEvery, imagePooling);
    }

    /** A copy with another initial damping λ_0. */
    public PanelSpec withInitialDamping(double lambda0) {
        return new PanelSpec(panel, widths, hidden, output, trainExamples, testExamples, noiseVariance, sgdBatch, sgdGrid,
                gridExamples, sgdExamples, ngdBatch, ngdAlpha, ngdSamples, lambda0, ngdExamples, evalEvery, imagePooling);
    }

    /** A copy with other budgets (examples). */
    public PanelSpec withBudgets(long grid, long sgd, long ngd) {
        return new PanelSpec(panel, widths, hidden, output, trainExamples, testExamples, noiseVariance, sgdBatch, sgdGrid,
                grid, sgd, ngdBatch, ngdAlpha, ngdSamples, initialDamping, ngd, evalEvery, imagePooling);
    }
}
