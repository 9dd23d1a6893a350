/**
 * Dense linear algebra: column-major {@link org.natgrad.linalg.Matrix}, stateless
 * {@link org.natgrad.linalg.MatOps}, and factorizations (Cholesky, symmetric eigen, SVD, QR,
 * pseudo- and damped inverses) on native OpenBLAS/LAPACK through JavaCPP, behind the
 * {@link org.natgrad.linalg.Blas} seam chosen by {@link org.natgrad.linalg.Backend}.
 */
package org.natgrad.linalg;
