package org.natgrad.curvature;

/** Exact representation: the curvature contract of {@link CurvatureContractTest}. */
class ExactContractTest extends CurvatureContractTest {
    @Override
    CurvatureChoice choice() {
        return CurvatureChoice.EXACT;
    }
}
