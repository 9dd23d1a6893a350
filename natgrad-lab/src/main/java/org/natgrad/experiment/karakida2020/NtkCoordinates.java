package org.natgrad.experiment.karakida2020;

import org.natgrad.curvature.Curvature;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.statistics.Gradients;

/**
 * Natural-gradient steps taken in the coordinates of the NTK parameterization, as the official
 * code does (math.md §4.1): the network stores W_l = c_l ω_l with c_l = σ_w/√M_{l−1}, and the
 * Fisher, its approximations and the step are formed for ω, not for W. Then
 * J_ω = J_W diag(c_l), ∇_ω L = c_l ∇_{W_l} L, Δω = −η G_ω^+ ∇_ω L and W_l ← W_l + c_l Δω_l.
 *
 * <p>Exact NGD is not invariant under this per-layer rescaling (its minimum-norm step weighs the
 * layers by c_l²), and neither is block tri-diagonal NGD in general (for L = 3 it moves only the
 * middle layer and is invariant); block-diagonal, K-FAC and unit-wise NGD are per-layer and give
 * the same step in either coordinates. Θ_G = J_ω G_ω^+ J_ω^T/N is unchanged for every method whose
 * Θ_G is a projector sum (exact, BD, BTD) and for K-FAC and unit-wise (per-layer scalars cancel).
 */
final class NtkCoordinates {
    private NtkCoordinates() {
    }

    /** c_l = √(σ_w²/M_{l−1}) per layer. */
    static double[] scales(Network net, double sigmaW2) {
        double[] c = new double[net.depth()];
        for (int l = 0; l < c.length; l++) {
            c[l] = Math.sqrt(sigmaW2 / net.layer(l).inputs());
        }
        return c;
    }

    /** The Jacobian samples of Θ = J_ω J_ω^T/N on inputs x (n_0 x N): the stored ones with layer l's inputs times c_l. */
    static CurvatureStatistics samples(Network net, Matrix x, double[] c) {
        CurvatureStatistics s = CurvatureStatistics.jacobian(net, x);
        Matrix[] in = new Matrix[s.layers()];
        for (int l = 0; l < in.length; l++) {
            in[l] = MatOps.scale(c[l], s.inputs()[l], null);
        }
        return new CurvatureStatistics(in, s.errors(), s.examples());
    }

    /**
     * The step Δθ in stored coordinates (flat, {@code ParamVector} order) of η-scaled natural gradient
     * with the Moore–Penrose solve (no damping) of representation {@code choice}, formed in ω.
     */
    static double[] step(CurvatureChoice choice, Network net, Batch batch, double eta, double sigmaW2) {
        double[] c = scales(net, sigmaW2);
        CurvatureStatistics s = samples(net, batch.inputs(), c);
        ParamVector grad = Gradients.of(net, Gaussian.unit(), batch).gradient();
        double[] g = grad.toFlat();
        scaleLayers(grad, g, c);
        double[] d = Curvature.of(choice, net, s).solve(g, 0);
        scaleLayers(grad, d, c);
        for (int i = 0; i < d.length; i++) {
            d[i] *= -eta;
        }
        return d;
    }

    /** Applies {@link #step} to the network's parameters; returns the step's norm in ω (Σ_l ‖Δθ_l‖²/c_l²)^{1/2}. */
    static double apply(CurvatureChoice choice, Network net, Batch batch, double eta, double sigmaW2) {
        double[] d = step(choice, net, batch, eta, sigmaW2);
        ParamVector p = net.parameters();
        double[] flat = p.toFlat();
        for (int i = 0; i < flat.length; i++) {
            flat[i] += d[i];
        }
        p.setFromFlat(flat);
        return omegaNorm(net, d, sigmaW2);
    }

    /** ‖Δω‖ for a stored-coordinate step Δθ: (Σ_l ‖Δθ_l‖²/c_l²)^{1/2}. */
    static double omegaNorm(Network net, double[] d, double sigmaW2) {
        double[] c = scales(net, sigmaW2);
        ParamVector t = net.parameters();
        double s = 0;
        for (int l = 0; l < c.length; l++) {
            for (int i = t.offset(l); i < t.offset(l) + t.layerSize(l); i++) {
                s += d[i] * d[i] / (c[l] * c[l]);
            }
        }
        return Math.sqrt(s);
    }

    /** v_l ← c_l v_l for each layer's slice of the flat vector v (layout of {@code like}). */
    static void scaleLayers(ParamVector like, double[] v, double[] c) {
        for (int l = 0; l < c.length; l++) {
            for (int i = like.offset(l); i < like.offset(l) + like.layerSize(l); i++) {
                v[i] *= c[l];
            }
        }
    }
}
