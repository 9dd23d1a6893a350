package org.natgrad.bayes;

/**
 * The state space and kernel of one stochastic unit with pre-activation a = θᵀ[1; x_pa]:
 * <ul>
 *   <li>{@link #BINARY}: x ∈ {0, 1}, k(1|a) = σ(a); local score factor x − σ(a), Fisher weight
 *       σ(a)(1 − σ(a));</li>
 *   <li>{@link #SPIN}: x ∈ {−1, +1}, k(x|a) ∝ exp(x a), so k(+1|a) = σ(2a); score factor
 *       x − tanh(a), Fisher weight 1 − tanh²(a).</li>
 * </ul>
 * A unit's state is coded by a bit: 1 = "on" (1 or +1), 0 = "off" (0 or −1). All log
 * probabilities are computed with a stable softplus, so they stay finite (never NaN) however
 * large |a| is.
 */
public enum UnitType {
    /** {0, 1} sigmoid unit. */
    BINARY,
    /** {−1, +1} unit. */
    SPIN;

    /** The value of the state coded by {@code bit} (0 or 1). */
    public double value(int bit) {
        return this == BINARY ? bit : (bit == 1 ? 1.0 : -1.0);
    }

    /** The bit coding {@code value}; throws for a value outside the state space. */
    public int bit(double value) {
        if (this == BINARY) {
            if (value == 0.0) {
                return 0;
            }
            if (value == 1.0) {
                return 1;
            }
        } else {
            if (value == -1.0) {
                return 0;
            }
            if (value == 1.0) {
                return 1;
            }
        }
        throw new IllegalArgumentException(this + " unit: value " + value + " is not in "
                + (this == BINARY ? "{0, 1}" : "{-1, +1}"));
    }

    /** log k(bit | a), finite for every finite a. */
    public double logProb(int bit, double a) {
        double z = this == BINARY ? a : 2 * a;
        return bit == 1 ? -softplus(-z) : -softplus(z);
    }

    /** Probability of the "on" state: σ(a) or σ(2a). */
    public double probOn(double a) {
        return sigmoid(this == BINARY ? a : 2 * a);
    }

    /** E[x | a]: σ(a) or tanh(a). */
    public double mean(double a) {
        return this == BINARY ? sigmoid(a) : Math.tanh(a);
    }

    /** Var[x | a] = Fisher information of the kernel in a: σ(a)σ(−a) or 1 − tanh²(a). */
    public double variance(double a) {
        if (this == BINARY) {
            return sigmoid(a) * sigmoid(-a);
        }
        return 4 * sigmoid(2 * a) * sigmoid(-2 * a);
    }

    /** log(1 + e^z) without overflow or cancellation. */
    public static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** 1 / (1 + e^−z), accurate in both tails. */
    public static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }
}
