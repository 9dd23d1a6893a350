package org.natgrad.curvature;

/** The EKFAC representation through the Kronecker contract ({@link KroneckerContractTest}). */
class EkfacContractTest extends KroneckerContractTest {
    @Override
    CurvatureChoice choice() {
        return CurvatureChoice.EKFAC;
    }
}
