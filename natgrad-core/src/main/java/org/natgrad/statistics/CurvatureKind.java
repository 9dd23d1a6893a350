package org.natgrad.statistics;

import org.natgrad.random.Rng;

/**
 * Which estimate of the Fisher a curvature representation is built from; an independent choice
 * from its structure (dense, block-diagonal, Kronecker, ...), as in ASDL.
 * <ul>
 *   <li>{@link Exact}: the expectation over the model's outputs taken exactly through the
 *       output-Fisher factor (r backward passes, r = rank of the output Fisher);</li>
 *   <li>{@link MonteCarlo}: K targets per example drawn from the model (unbiased);</li>
 *   <li>{@link Empirical}: the data targets (the "empirical Fisher", biased in general).</li>
 * </ul>
 */
public sealed interface CurvatureKind permits CurvatureKind.Exact, CurvatureKind.MonteCarlo, CurvatureKind.Empirical {

    /** The exact expectation over the model's outputs. */
    static CurvatureKind exact() {
        return new Exact();
    }

    /** K ≥ 1 model-sampled targets per example drawn with {@code rng}. */
    static CurvatureKind monteCarlo(int samples, Rng rng) {
        return new MonteCarlo(samples, rng);
    }

    /** The data targets. */
    static CurvatureKind empirical() {
        return new Empirical();
    }

    /** Exact expectation over the model's outputs. */
    record Exact() implements CurvatureKind {
    }

    /** K model samples per example. */
    record MonteCarlo(int samples, Rng rng) implements CurvatureKind {
        public MonteCarlo {
            if (samples < 1 || rng == null) {
                throw new IllegalArgumentException("CurvatureKind.MonteCarlo: need samples >= 1 and an Rng, got "
                        + samples + (rng == null ? " and no Rng" : ""));
            }
        }
    }

    /** Data targets. */
    record Empirical() implements CurvatureKind {
    }
}
