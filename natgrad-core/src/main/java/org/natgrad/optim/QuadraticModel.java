package org.natgrad.optim;

import org.natgrad.nn.ParamVector;

/**
 * kfac-jax's choice of the learning rate α and momentum μ from the exact quadratic model
 * q(δ) = gᵀδ + ½ δᵀ C δ, C = G + κ I (κ = λ + weight decay), over δ = α Δ + μ δ_prev.
 * Sign convention: Δ is the descent direction −(G + λI)^{-1} g (so α &gt; 0 descends) and δ_prev the
 * previous update as applied (θ_new = θ + δ). Setting ∂q/∂α = ∂q/∂μ = 0 gives
 * <pre>
 *   [ΔᵀCΔ    ΔᵀCδ_p ] [α]     [gᵀΔ  ]
 *   [δ_pᵀCΔ  δ_pᵀCδ_p] [μ] = − [gᵀδ_p]
 * </pre>
 * Fallback to the 1-D problem α = −gᵀΔ / ΔᵀCΔ, μ = 0: on the first step (no δ_prev), and when the 2x2
 * matrix is not positive definite to round-off (ΔᵀCΔ ≤ 0, δ_pᵀCδ_p ≤ 0 or det ≤ 1e-12 ΔᵀCΔ δ_pᵀCδ_p,
 * e.g. δ_prev parallel to Δ). When ΔᵀCΔ ≤ 0 too, α = μ = 0 (no step).
 */
final class QuadraticModel {
    private QuadraticModel() {
    }

    /** Relative determinant below which the 2x2 system is treated as singular. */
    static final double SINGULAR = 1e-12;

    /**
     * (α, μ) minimizing q over the subspace, from the inner products.
     *
     * @param dCd  ΔᵀCΔ
     * @param dCp  ΔᵀCδ_p
     * @param pCp  δ_pᵀCδ_p (NaN when there is no δ_prev)
     * @param gd   gᵀΔ
     * @param gp   gᵀδ_p (NaN when there is no δ_prev)
     * @return {α, μ}
     */
    static double[] coefficients(double dCd, double dCp, double pCp, double gd, double gp) {
        if (!(dCd > 0)) {
            return new double[] {0, 0};
        }
        double det = dCd * pCp - dCp * dCp;
        if (!(pCp > 0) || !(det > SINGULAR * dCd * pCp) || !Double.isFinite(gp)) {
            return new double[] {-gd / dCd, 0};
        }
        double alpha = (-gd * pCp + gp * dCp) / det;
        double mu = (-gp * dCd + gd * dCp) / det;
        return new double[] {alpha, mu};
    }

    /** q(δ) = gᵀδ + ½ (δᵀ G δ + κ δᵀδ) from g, δ, G δ and κ. */
    static double value(ParamVector g, ParamVector delta, ParamVector gDelta, double kappa) {
        return g.dot(delta) + 0.5 * (delta.dot(gDelta) + kappa * delta.dot(delta));
    }

    /**
     * kfac-jax's damping update from ρ: λ ω when ρ &gt; 3/4, λ / ω when ρ &lt; 1/4 (or ρ not finite),
     * kept in [min, max].
     */
    static double adaptDamping(double lambda, double rho, double omega, double min, double max) {
        double next = rho > 0.75 ? lambda * omega : !(rho >= 0.25) ? lambda / omega : lambda;
        return Math.max(min, Math.min(max, next));
    }
}
