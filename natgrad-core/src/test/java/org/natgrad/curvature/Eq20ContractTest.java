package org.natgrad.curvature;

import org.natgrad.linalg.Matrix;

/** The EQ20 representation through the Kronecker contract ({@link KroneckerContractTest}). */
class Eq20ContractTest extends KroneckerContractTest {
    @Override
    CurvatureChoice choice() {
        return CurvatureChoice.EQ20;
    }

    /** The paper's rule: √ρ on each factor. */
    @Override
    Matrix dampedInverse(Matrix g, double rho, TinyNetworks.Task t) {
        return kroneckerInverse(g, t, rho, false);
    }
}
