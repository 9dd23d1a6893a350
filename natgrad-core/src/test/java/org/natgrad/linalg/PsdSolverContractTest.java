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
        @Override
        PsdSolver solver(Matrix samples) {
            return PsdSolver.of(samples, InverseStrategy.EIGEN, false, 1);
        }

        @Override
        InverseStrategy strategy() {
            return InverseStrategy.EIGEN;
        }
    }

    /** {@link PsdSolver#eigen} of A itself: solves applied in the eigenbasis. */
    @Nested
    class EigenApplied extends PsdSolverContract {
        @Override
        PsdSolver solver(Matrix samples) {
            return PsdSolver.eigen(gram(samples), "A");
        }

        @Override
        InverseStrategy strategy() {
            return InverseStrategy.EIGEN;
        }
    }

    /** {@link PsdSolver#eigenOfSamples}: from the K x K Gram matrix when K &lt; n. */
    @Nested
    class EigenOfSamples extends PsdSolverContract {
        @Override
        PsdSolver solver(Matrix samples) {
            return PsdSolver.eigenOfSamples(samples, "A");
        }

        @Override
        InverseStrategy strategy() {
            return InverseStrategy.EIGEN;
        }
    }

    /** CHOLESKY in double precision (from A, through {@link PsdSolver#ofGram}). */
    @Nested
    class CholeskyDouble extends PsdSolverContract {
        @Override
        PsdSolver solver(Matrix samples) {
            return PsdSolver.ofGram(gram(samples), InverseStrategy.CHOLESKY, false, 1, FactorPrecision.DOUBLE);
        }

        @Override
        InverseStrategy strategy() {
            return InverseStrategy.CHOLESKY;
        }
    }

    /** CHOLESKY in single precision (native BLAS only): tolerance 1e-4. */
    @Nested
    class CholeskySingle extends PsdSolverContract {
        @Override
        PsdSolver solver(Matrix samples) {
            assumeTrue(FloatOps.available(), "single precision needs native BLAS");
            return PsdSolver.of(samples, InverseStrategy.CHOLESKY, false, 1, FactorPrecision.SINGLE);
        }

        @Override
        InverseStrategy strategy() {
            return InverseStrategy.CHOLESKY;
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
        @Override
        PsdSolver solver(Matrix samples) {
            return PsdSolver.of(samples, InverseStrategy.SHERMAN_MORRISON, false, 1);
        }

        @Override
        InverseStrategy strategy() {
            return InverseStrategy.SHERMAN_MORRISON;
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
        @Override
        PsdSolver solver(Matrix samples) {
            return PsdSolver.of(samples, InverseStrategy.RANDOMIZED_SVD, false, 7);
        }

        @Override
        InverseStrategy strategy() {
            return InverseStrategy.RANDOMIZED_SVD;
        }
    }

    /** {@link PsdSolver#dataSpace}: Woodbury through the K x K Gram matrix, S and S^T as operators. */
    @Nested
    class DataSpace extends PsdSolverContract {
        @Override
        PsdSolver solver(Matrix samples) {
            return PsdSolver.dataSpace(samples.rows(), Naive.multiply(Naive.transpose(samples), samples),
                    w -> MatOps.gemv(1, samples, false, w, 0, null), g -> MatOps.gemv(1, samples, true, g, 0, null), "A");
        }

        @Override
        InverseStrategy strategy() {
            return InverseStrategy.EIGEN;
        }
    }
}
