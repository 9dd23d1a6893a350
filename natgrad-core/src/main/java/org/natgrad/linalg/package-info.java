/**
 * Dense linear algebra: column-major {@link org.natgrad.linalg.Matrix}, stateless
 * {@link org.natgrad.linalg.MatOps}, and factorizations (Cholesky, symmetric eigen, SVD, QR,
 * pseudo- and damped inverses) on native OpenBLAS/LAPACK through JavaCPP, behind the
 * {@link org.natgrad.linalg.Blas} seam chosen by {@link org.natgrad.linalg.Backend}; and, for the
 * natural gradient's curvature statistics only, single-precision {@link org.natgrad.linalg.FloatMatrix}
 * with native {@link org.natgrad.linalg.FloatOps} and {@link org.natgrad.linalg.FloatCholesky}.
 */
package org.natgrad.linalg;
