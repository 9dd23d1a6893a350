package org.natgrad.curvature;

import java.util.Arrays;
import java.util.Locale;

/** The structure of a {@link Curvature} representation, with the names the CLI accepts. */
public enum CurvatureChoice {
    /**
     * The paper's rule, math.md Eq. 20: Kronecker-factored blocks with √λ added to each factor
     * and the update divided by the depth L (the default of the natural-gradient optimizer).
     */
    EQ20("eq20"),
    /** The exact (dense) Fisher. */
    EXACT("exact"),
    /** Exact per-layer blocks. */
    BLOCK_DIAGONAL("blockdiag"),
    /** Exact blocks with |l − m| ≤ 1. */
    BLOCK_TRIDIAGONAL("tridiag"),
    /** Kronecker-factored blocks (K-FAC) with π-factored damping. */
    KFAC("kfac"),
    /** Eigenvalue-corrected K-FAC. */
    EKFAC("ekfac"),
    /** One block per unit. */
    UNIT_WISE("unitwise"),
    /** The diagonal. */
    DIAGONAL("diag");

    private final String label;

    CurvatureChoice(String label) {
        this.label = label;
    }

    /**
     * True for the paper's rule, whose update of every layer is W̄_i ← W̄_i − (α/L) D_i (Eq. 20):
     * the step and the predicted decrease carry 1/L; every other representation's step is
     * θ ← θ − α (G + λI)^{-1} ∇L.
     */
    public boolean dividesStepByDepth() {
        return this == EQ20;
    }

    /** The CLI name: eq20, exact, blockdiag, tridiag, kfac, ekfac, unitwise or diag. */
    public String label() {
        return label;
    }

    /**
     * Parses a CLI name (case-insensitive; the enum constant names are accepted too).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static CurvatureChoice parse(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (CurvatureChoice c : values()) {
                if (c.label.equals(n) || c.name().toLowerCase(Locale.ROOT).equals(n)) {
                    return c;
                }
            }
        }
        throw new IllegalArgumentException("unknown curvature '" + name + "'; expected one of "
                + Arrays.stream(values()).map(CurvatureChoice::label).toList());
    }
}
