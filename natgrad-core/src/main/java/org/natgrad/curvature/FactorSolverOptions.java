package org.natgrad.curvature;

import org.natgrad.linalg.PsdSolver;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.linalg.InverseStrategy;

/**
 * How a Kronecker representation with the paper's damping ({@link CurvatureChoice#EQ20}) inverts
 * its factors.
 *
 * @param inverse       the strategy ({@link InverseStrategy}; AUTO picks by size)
 * @param pseudoInverse true: Moore–Penrose inverses of the factors and no damping at all
 * @param precision     single or double precision factor work ({@link FactorPrecision}; see {@link PsdSolver#single})
 */
public record FactorSolverOptions(InverseStrategy inverse, boolean pseudoInverse, FactorPrecision precision) {
    public FactorSolverOptions {
        if (inverse == null || precision == null) {
            throw new IllegalArgumentException("FactorSolverOptions: the inverse strategy and the precision must be given");
        }
    }

    /** AUTO inverses, damped, AUTO precision: the natural-gradient optimizer's defaults. */
    public static FactorSolverOptions defaults() {
        return new FactorSolverOptions(InverseStrategy.AUTO, false, FactorPrecision.AUTO);
    }

    /** True when some factor of a layer with input size d (bias row included) and output size n is handled in single precision. */
    public boolean anySingle(int d, int n) {
        for (int size : new int[] {d, n}) {
            InverseStrategy s = PsdSolver.resolve(inverse, size, pseudoInverse);
            if (PsdSolver.single(precision, s, size, pseudoInverse)) {
                return true;
            }
        }
        return false;
    }
}
