package org.natgrad.curvature;

/** BlockTridiagonal representation: the curvature contract of {@link CurvatureContractTest}. */
class BlockTridiagonalContractTest extends CurvatureContractTest {
    @Override
    CurvatureChoice choice() {
        return CurvatureChoice.BLOCK_TRIDIAGONAL;
    }
}
