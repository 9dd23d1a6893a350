package org.natgrad.curvature;

import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.InverseStrategy;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.PsdSolver;
import org.natgrad.linalg.Svd;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.statistics.Gradients;

/**
 * Curvature quantities of a network and likelihood on one batch, all in
 * {@link ParamVector}'s flat order (per layer vec(W_i) column-major, then b_i):
 *
 * @param loss                 the mean loss on the batch
 * @param fisher               the exact Fisher, P x P ({@link DenseFisher#exact})
 * @param gradient             the gradient of the mean loss, length P
 * @param naturalGradientStep  the Eq. 10 step to <b>add</b> to the parameters, length P:
 *                             −(1/L) Λ̃_i^+ Ḡ_i Λ_i^+ per layer, with α = 1, no damping,
 *                             Moore–Penrose pseudo-inverses, and Λ̃_i the exact expectation over
 *                             the model's outputs (output-Fisher factor, no sampling)
 * @param generalizedInverse   the Eq. 23 generalized inverse F^g (P x P) for a bias-free deep
 *                             linear network with equal widths and a Gaussian output, or null
 *                             when the network is not of that kind
 */
public record FisherReport(double loss, Matrix fisher, double[] gradient, double[] naturalGradientStep,
                           Matrix generalizedInverse) {

    /** Relative tolerance of the pseudo-inverses and of the invertibility check of Eq. 23. */
    public static final double REL_TOL = Inverses.DEFAULT_REL_TOL;

    /** Computes every quantity on {@code batch} (targets are used only by the gradient and loss). */
    public static FisherReport compute(Network net, Likelihood likelihood, Batch batch) {
        Gradients g = Gradients.of(net, likelihood, batch);
        likelihood.validateTargets(g.trace().output(), batch.targets());
        Matrix f = DenseFisher.exact(net, likelihood, batch.inputs());
        CurvatureStatistics kf = CurvatureStatistics.kronecker(net, likelihood, g.trace(), 0, null);
        ParamVector step = ParamVector.zerosLike(g.gradient());
        int l = net.depth();
        for (int i = 0; i < l; i++) {
            Matrix gi = g.gradient().augmentedBlock(i);
            PsdSolver left = PsdSolver.ofGram(kf.lambdaTilde(i), InverseStrategy.EIGEN, true, 0);
            PsdSolver right = PsdSolver.ofGram(kf.lambda(i), InverseStrategy.EIGEN, true, 0);
            Matrix d = right.solveRight(0, left.solve(0, gi));
            step.setAugmentedBlock(i, MatOps.scaleInPlace(-1.0 / l, d));
        }
        Matrix fg = isSquareDeepLinearGaussian(net, likelihood) ? eq23(net, kf) : null;
        return new FisherReport(g.loss(), f, g.gradient().toFlat(), step.toFlat(), fg);
    }

    /** True for a bias-free linear network with all widths equal and a Gaussian likelihood. */
    public static boolean isSquareDeepLinearGaussian(Network net, Likelihood likelihood) {
        return likelihood instanceof Gaussian && net.isLinear() && net.isBiasFree()
                && net.widths().stream().distinct().count() == 1;
    }

    /**
     * math.md Eq. 23: (F^g)_{ij} = (1/L²) ⟨x_{j-1} x_{i-1}^T⟩^{-1} ⊗ ⟨e_j e_i^T⟩^{-1}, with the
     * averages over the batch's inputs and, for the errors, exactly over the model's outputs.
     *
     * @throws ArithmeticException if a block is singular (naming it)
     */
    static Matrix eq23(Network net, CurvatureStatistics kf) {
        return KroneckerGeneralizedInverse.eq23(net.depth(), net.inputSize(),
                (i, j) -> inverse(MatOps.gemm(1, kf.samples(j).inputSamples(), false, kf.samples(i).inputSamples(), true,
                        0, null), "<x_" + j + " x_" + i + "^T>"),
                (i, j) -> inverse(MatOps.gemm(1, kf.samples(j).doubleErrors(), false, kf.samples(i).doubleErrors(), true,
                        0, null), "<e_" + (j + 1) + " e_" + (i + 1) + "^T>"));
    }

    private static Matrix inverse(Matrix a, String name) {
        Svd svd = Svd.decompose(a).orElseThrow(() -> new ArithmeticException("Eq. 23: SVD of " + name + " failed"));
        if (svd.rank(REL_TOL) < a.rows()) {
            throw new ArithmeticException("Eq. 23 needs invertible blocks, but " + name + " (" + a.shape()
                    + ") has rank " + svd.rank(REL_TOL) + " (use a batch with at least n examples)");
        }
        return svd.pseudoInverse(REL_TOL);
    }
}
