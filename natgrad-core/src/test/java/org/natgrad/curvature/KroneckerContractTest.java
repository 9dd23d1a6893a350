package org.natgrad.curvature;

import org.natgrad.linalg.Matrix;

/**
 * The Kronecker forms' contract: on one example the layer blocks factorize exactly,
 * F_ll = x̄x̄^T ⊗ E[δδ^T], so K-FAC, the Eq. 20 rule and EK-FAC equal the exact block diagonal there.
 */
abstract class KroneckerContractTest extends CurvatureContractTest {
    @Override
    boolean singleExampleOnly() {
        return true;
    }

    @Override
    Matrix reference(Matrix f, TinyNetworks.Task t) {
        return CurvatureTest.masked(CurvatureChoice.BLOCK_DIAGONAL, f, t.net());
    }
}
