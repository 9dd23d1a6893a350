package org.natgrad.curvature;

/** UnitWise representation: the curvature contract of {@link CurvatureContractTest}. */
class UnitWiseContractTest extends CurvatureContractTest {
    @Override
    CurvatureChoice choice() {
        return CurvatureChoice.UNIT_WISE;
    }
}
