package org.natgrad.linalg;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Nested;

/** {@link PsdSolverContract} for every {@link PsdSolver} implementation and precision. */
class PsdSolverContractTest {

    private static Matrix gram(Matrix samples) {
        return Naive.multiply(samples, Naive.transpose(samples));
    }

    /** EIGEN through {@link PsdSolver#of}: the inverse of each shift formed and cached. */
    @Nested
    class EigenCachingInverses extends PsdSolverContract {
        EigenCachingInverses() {
            super(InverseStrategy.EIGEN, s -> PsdSolver.of(s, InverseStrategy.EIGEN, false, 1));
        }
    }

    /** {@link PsdSolver#eigen} of A itself: solves applied in the eigenbasis. */
    @Nested
    class EigenApplied extends PsdSolverContract {
        EigenApplied() {
            super(InverseStrategy.EIGEN, s -> PsdSolver.eigen(gram(s), "A"));
        }
    }

    /** {@link PsdSolver#eigenOfSamples}: from the K x K Gram matrix when K &lt; n. */
    @Nested
    class EigenOfSamples extends PsdSolverContract {
        EigenOfSamples() {
            super(InverseStrategy.EIGEN, s -> PsdSolver.eigenOfSamples(s, "A"));
        }
    }

    /** CHOLESKY in double precision (from A, through {@link PsdSolver#ofGram}). */
    @Nested
    class CholeskyDouble extends PsdSolverContract {
        CholeskyDouble() {
            super(InverseStrategy.CHOLESKY, s -> PsdSolver.ofGram(gram(s), InverseStrategy.CHOLESKY, false, 1));
        }
    }

    /** CHOLESKY in single precision (native BLAS only): tolerance 1e-4. */
    @Nested
    class CholeskySingle extends PsdSolverContract {
        CholeskySingle() {
            super(InverseStrategy.CHOLESKY, s -> {
                assumeTrue(FloatOps.available(), "single precision needs native BLAS");
                return PsdSolver.of(s, InverseStrategy.CHOLESKY, false, 1, FactorPrecision.SINGLE);
            });
        }

        @Override
        FactorPrecision precision() {
            return FactorPrecision.SINGLE;
        }

        @Override
        double tolerance() {
            return 1e-4;
        }
    }

    /** SHERMAN_MORRISON: rank-one updates; refuses shift 0. */
    @Nested
    class ShermanMorrison extends PsdSolverContract {
        ShermanMorrison() {
            super(InverseStrategy.SHERMAN_MORRISON, s -> PsdSolver.of(s, InverseStrategy.SHERMAN_MORRISON, false, 1));
        }

        @Override
        boolean pseudoInverses() {
            return false;
        }
    }

    /**
     * RANDOMIZED_SVD: at n = 12 ≤ rank + oversampling the thin SVD of S (exact); the sketched range
     * finder is checked in {@link PsdSolverTest}.
     */
    @Nested
    class RandomizedSvd extends PsdSolverContract {
        RandomizedSvd() {
            super(InverseStrategy.RANDOMIZED_SVD, s -> PsdSolver.of(s, InverseStrategy.RANDOMIZED_SVD, false, 7));
        }
    }

    /** {@link PsdSolver#dataSpace}: Woodbury through the K x K Gram matrix, S and S^T as operators. */
    @Nested
    class DataSpace extends PsdSolverContract {
        DataSpace() {
            super(InverseStrategy.EIGEN, s -> PsdSolver.dataSpace(s.rows(), Naive.multiply(Naive.transpose(s), s),
                    w -> MatOps.gemv(1, s, false, w, 0, null), g -> MatOps.gemv(1, s, true, g, 0, null), "A"));
        }
    }
}
