package org.natgrad.curvature;

/** BlockDiagonal representation: the curvature contract of {@link CurvatureContractTest}. */
class BlockDiagonalContractTest extends CurvatureContractTest {
    @Override
    CurvatureChoice choice() {
        return CurvatureChoice.BLOCK_DIAGONAL;
    }
}
