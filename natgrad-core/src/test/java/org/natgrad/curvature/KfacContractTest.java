package org.natgrad.curvature;

import org.natgrad.linalg.Matrix;

/** The KFAC representation through the Kronecker contract ({@link KroneckerContractTest}). */
class KfacContractTest extends KroneckerContractTest {
    @Override
    CurvatureChoice choice() {
        return CurvatureChoice.KFAC;
    }

    /** K-FAC's π-split damping. */
    @Override
    Matrix dampedInverse(Matrix g, double rho, TinyNetworks.Task t) {
        return kroneckerInverse(g, t, rho, true);
    }
}
