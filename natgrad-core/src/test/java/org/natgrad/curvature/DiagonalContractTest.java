package org.natgrad.curvature;

/** Diagonal representation: the curvature contract of {@link CurvatureContractTest}. */
class DiagonalContractTest extends CurvatureContractTest {
    @Override
    CurvatureChoice choice() {
        return CurvatureChoice.DIAGONAL;
    }
}
