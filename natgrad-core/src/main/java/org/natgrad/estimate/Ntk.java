package org.natgrad.estimate;

import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Network;

/**
 * The empirical neural tangent kernel of a network on N inputs (math.md §4.1):
 * Θ = J J^T / N = Σ_l Θ_l with Θ_l = J_l J_l^T / N, NC x NC, rows and columns ordered
 * (n, c) → c·N + n (vec of the N x C output matrix, column-major). J is never formed: with
 * s_{(n,c)} = J_{(n,c)}^T/√N ({@link CurvatureStatistics#jacobian}), Θ_l = (X̄_l^T X̄_l) ∘ (D_l^T D_l).
 *
 * <p>For a network in the NTK parameterization u_l = (σ_w/√M_{l-1}) ω_l h_{l-1} stored, as here,
 * in the standard one (W_l = σ_w ω_l/√M_{l-1}), the kernel in the ω coordinates is
 * Σ_l (σ_w²/M_{l-1}) Θ_l: see {@link #ntkParameterization}. Natural-gradient kernels Θ_G do not
 * depend on such per-layer scales.
 *
 * @param samples the Jacobian samples (S = J^T/√N, so Θ = S^T S)
 * @param layers  Θ_l per layer, NC x NC
 * @param total   Θ = Σ_l Θ_l
 */
public record Ntk(CurvatureStatistics samples, Matrix[] layers, Matrix total) {

    /** Θ and Θ_l of {@code net} on inputs x (n_0 x N), with the 1/N convention. */
    public static Ntk of(Network net, Matrix x) {
        CurvatureStatistics s = CurvatureStatistics.jacobian(net, x);
        Matrix[] layers = new Matrix[s.layers()];
        Matrix total = null;
        for (int l = 0; l < layers.length; l++) {
            layers[l] = s.gram(l);
            total = total == null ? layers[l].copy() : MatOps.axpy(1, layers[l], total);
        }
        return new Ntk(s, layers, total);
    }

    /**
     * The kernel in the NTK parameterization without the 1/N (the convention of the analytic
     * kernels, {@link ReluKernels}): N · Σ_l (σ_w²/M_{l-1}) Θ_l per layer, for a bias-free network.
     *
     * @return per-layer kernels (NC x NC), the sum last
     */
    public Matrix[] ntkParameterization(Network net, double sigmaW2) {
        int n = samples.examples();
        Matrix[] out = new Matrix[layers.length + 1];
        Matrix total = new Matrix(total().rows(), total().cols());
        for (int l = 0; l < layers.length; l++) {
            if (net.layer(l).hasBias()) {
                throw new IllegalArgumentException("Ntk.ntkParameterization: layer " + (l + 1) + " has a bias; the "
                        + "scaling sigma_w^2/M is defined here for bias-free networks (sigma_b = 0)");
            }
            out[l] = MatOps.scale(n * sigmaW2 / net.layer(l).inputs(), layers[l], null);
            MatOps.axpy(1, out[l], total);
        }
        out[layers.length] = total;
        return out;
    }

    /** NC. */
    public int size() {
        return total.rows();
    }
}
