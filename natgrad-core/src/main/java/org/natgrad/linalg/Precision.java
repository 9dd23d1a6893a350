package org.natgrad.linalg;

import java.util.Locale;

/**
 * The floating-point format of a network pass and of an optimizer step: IEEE double (float64,
 * the default and the exact reference) or single (float32). In single precision the forward and
 * backward passes keep their activations and errors in {@link FloatMatrix} and multiply with
 * native {@code sgemm} ({@link FloatOps}); losses, the damping rule's ρ and the weights themselves
 * stay double precision (see {@code org.natgrad.nn.Network#forward(Matrix, Precision)}). The unit
 * round-off is u = 2^-53 in double and u = 2^-24 ≈ 6·10⁻⁸ in single.
 */
public enum Precision {
    /** float64 throughout (the reference; bit for bit the behaviour without a precision option). */
    DOUBLE,
    /** float32 passes and gradients (needs native OpenBLAS: {@link FloatOps#available()}). */
    SINGLE;

    /** The unit round-off u: 2^-53 for DOUBLE, 2^-24 for SINGLE. */
    public double unitRoundoff() {
        return this == DOUBLE ? Math.ulp(1.0) / 2 : Math.ulp(1.0f) / 2;
    }

    /** Parses "double" or "single" (case-insensitive; "float64"/"float32" accepted too). */
    public static Precision parse(String name) {
        String s = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "double", "float64", "fp64" -> DOUBLE;
            case "single", "float32", "fp32", "float" -> SINGLE;
            default -> throw new IllegalArgumentException("unknown precision '" + name + "'; expected double or single");
        };
    }

    /** Lower-case name, as used on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
