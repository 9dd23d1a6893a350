package org.natgrad.estimate;

import org.natgrad.curvature.Curvature;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Network;

/**
 * The preconditioned kernel Θ_G = J (G + ρI)^{-1} J^T / N (NC x NC, math.md §4.1) of a curvature
 * representation G of the Fisher F = J^T J / N (Gaussian output, identity covariance, inputs from
 * the training set). In the lazy regime the residual evolves as e_{t+1} = (I − η Θ_G) e_t, so
 * Θ_G = α I means every mode decays as (1 − αη)^t (isotropy, §4.3). Computed from
 * {@link Curvature#kernel} in data space where the representation allows it.
 */
public final class PreconditionedKernel {
    private PreconditionedKernel() {
    }

    /** Θ_G of {@code choice} built from the NTK samples of {@code net} on x (n_0 x N); ρ = 0: pseudo-inverse. */
    public static Matrix of(CurvatureChoice choice, Network net, Matrix x, double damping) {
        CurvatureStatistics s = CurvatureStatistics.jacobian(net, x);
        return Curvature.of(choice, net, s).kernel(s, damping);
    }

    /** Θ_G of an existing representation on the NTK samples {@code s} (for G built from the same s: J G^{-1} J^T/N). */
    public static Matrix of(Curvature g, CurvatureStatistics s, double damping) {
        return g.kernel(s, damping);
    }
}
