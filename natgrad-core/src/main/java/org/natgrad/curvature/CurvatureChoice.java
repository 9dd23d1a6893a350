package org.natgrad.curvature;

import java.util.Arrays;
import java.util.Locale;

/** The structure of a {@link Curvature} representation, with the names the CLI accepts. */
public enum CurvatureChoice {
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

    /** The CLI name: exact, blockdiag, tridiag, kfac, ekfac, unitwise or diag. */
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
