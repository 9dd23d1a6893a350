package org.natgrad.curvature;

import org.natgrad.statistics.CurvatureKind;
import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;

/**
 * A representation G of the Fisher information matrix F (P x P, in {@link ParamVector}'s flat
 * order: per layer vec([W_l, b_l]) column-major). The structure (this type's implementations) and
 * the estimate it is built from ({@link CurvatureKind}: exact, Monte Carlo, empirical) are
 * independent choices; every implementation is built from the same {@link CurvatureStatistics}.
 * Representations are immutable values; {@link Preconditioner} gives every one of them the same
 * lifecycle: update(statistics), refresh(damping), apply(vector, power).
 * <ul>
 *   <li>{@link KroneckerFactored} with {@link CurvatureChoice#EQ20}: the paper's rule, √λ on each
 *       Kronecker factor;</li>
 *   <li>{@link DenseCurvature}: F itself (solves in data space when K &lt; P);</li>
 *   <li>{@link BlockDiagonal}: the exact per-layer blocks F_ll;</li>
 *   <li>{@link BlockTridiagonal}: the blocks F_lm with |l − m| ≤ 1;</li>
 *   <li>{@link KroneckerFactored}: F_ll ≈ Λ_l ⊗ Λ̃_l (K-FAC, π-factored damping);</li>
 *   <li>{@link EigenCorrectedKronecker}: EK-FAC, the Kronecker eigenbasis with a fitted diagonal;</li>
 *   <li>{@link UnitWise}: one block per unit (its incoming weights and bias);</li>
 *   <li>{@link DiagonalFisher}: the diagonal of F.</li>
 * </ul>
 * "Solve with damping ρ" means (G + ρI)^{-1} g, except for K-FAC, where √ρ is split between the
 * two factors (see {@link KroneckerFactored}); ρ = 0 gives the Moore–Penrose solution G^+ g.
 */
public sealed interface Curvature permits AbstractCurvature {

    /** The structure. */
    CurvatureChoice choice();

    /** A zero parameter vector with the network's shapes (not to be modified). */
    ParamVector template();

    /** P. */
    default int size() {
        return template().size();
    }

    /** The statistics this representation was built from. */
    CurvatureStatistics statistics();

    /** G v for a flat v of length P. */
    double[] multiply(double[] v);

    /**
     * The diagonal of G (length P). This default multiplies G by each unit vector (P products);
     * representations with a cheaper form override it.
     */
    default double[] diagonal() {
        double[] d = new double[size()];
        double[] e = new double[size()];
        for (int i = 0; i < d.length; i++) {
            e[i] = 1;
            d[i] = multiply(e)[i];
            e[i] = 0;
        }
        return d;
    }

    /** (G + ρI)^{-1} g (ρ &gt; 0) or G^+ g (ρ = 0) for a flat g of length P. */
    double[] solve(double[] g, double damping);

    /** G as a dense P x P matrix (small networks: P ≤ {@link DenseFisher#MAX_PARAMETERS}). */
    Matrix toDense();

    /** tr G. */
    double trace();

    /** Bytes held by this representation (samples, factors and decompositions). */
    long bytes();

    /** G v. */
    default ParamVector multiply(ParamVector v) {
        return template().withFlat(multiply(check(v.toFlat())));
    }

    /** (G + ρI)^{-1} g, or G^+ g for ρ = 0. */
    default ParamVector solve(ParamVector g, double damping) {
        return template().withFlat(solve(check(g.toFlat()), damping));
    }

    /**
     * The preconditioned kernel S_k^T (G + ρI)^{-1} S_k (K_k x K_k) for the samples S_k of
     * {@code k}: with the NTK samples of {@link CurvatureStatistics#jacobian} this is
     * Θ_G = J G^{-1} J^T / N of math.md §4.1. This default solves once per sample (K_k solves);
     * representations with a data-space form override it.
     */
    default Matrix kernel(CurvatureStatistics k, double damping) {
        int n = k.count();
        Matrix out = new Matrix(n, n);
        double[] e = new double[n];
        for (int j = 0; j < n; j++) {
            java.util.Arrays.fill(e, 0);
            e[j] = 1;
            double[] col = k.applyT(solve(k.apply(e), damping));
            System.arraycopy(col, 0, out.data(), j * n, n);
        }
        return org.natgrad.linalg.MatOps.symmetrizeInPlace(out);
    }

    /**
     * Checks a vector's shapes against {@link #template()} and that its values are finite, without
     * copying it (the message names the flat index of a non-finite entry, as {@link #check(double[])}).
     */
    default ParamVector check(ParamVector v) {
        if (!v.sameShapes(template())) {
            throw new IllegalArgumentException(choice().label() + " curvature: vector has " + v.size()
                    + " entries in " + v.layers() + " layers, but the network's parameters are shaped as " + template());
        }
        if (!v.isFinite()) {
            check(v.toFlat());
        }
        return v;
    }

    /** Checks a flat vector's length and that its values are finite. */
    default double[] check(double[] v) {
        if (v.length != size()) {
            throw new IllegalArgumentException(choice().label() + " curvature: vector has " + v.length
                    + " entries but the network has P = " + size() + " parameters");
        }
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(choice().label() + " curvature: vector entry " + i + " is " + v[i]);
            }
        }
        return v;
    }

    /**
     * Builds the representation {@code choice} from samples of {@code net}'s Fisher (the Eq. 20
     * rule with {@link FactorSolverOptions#defaults()}).
     */
    static Curvature of(CurvatureChoice choice, Network net, CurvatureStatistics samples) {
        return of(choice, ParamVector.zerosLike(net.parameters()), samples, FactorSolverOptions.defaults(), 0);
    }

    /**
     * Builds the representation {@code choice} for parameters shaped like {@code template} from
     * {@code samples}; {@code solver} and {@code sketchBase} (the seed of randomized sketches) are
     * used by the Eq. 20 rule only.
     */
    static Curvature of(CurvatureChoice choice, ParamVector template, CurvatureStatistics samples,
                        FactorSolverOptions solver, long sketchBase) {
        if (template.size() != samples.parameterCount()) {
            throw new IllegalArgumentException("Curvature.of: samples describe " + samples.parameterCount()
                    + " parameters but the network has " + template.size());
        }
        return switch (choice) {
            case EQ20 -> new KroneckerFactored(samples, template, solver, sketchBase);
            case EXACT -> new DenseCurvature(samples, template);
            case BLOCK_DIAGONAL -> new BlockDiagonal(samples, template);
            case BLOCK_TRIDIAGONAL -> new BlockTridiagonal(samples, template);
            case KFAC -> new KroneckerFactored(samples, template);
            case EKFAC -> new EigenCorrectedKronecker(samples, template);
            case UNIT_WISE -> new UnitWise(samples, template);
            case DIAGONAL -> new DiagonalFisher(samples, template);
        };
    }

    /** Builds {@code choice} from the {@code kind} Fisher of {@code net} and {@code likelihood} on {@code batch}. */
    static Curvature of(CurvatureChoice choice, Network net, Likelihood likelihood, Batch batch, CurvatureKind kind) {
        return of(choice, net, CurvatureStatistics.of(net, likelihood, batch, kind));
    }
}
