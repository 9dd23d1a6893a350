/**
 * Dense linear algebra: column-major {@link org.natgrad.linalg.Matrix}, stateless
 * {@link org.natgrad.linalg.MatOps}, and factorizations (Cholesky, symmetric eigen, SVD, QR,
 * pseudo- and damped inverses) and the one family of solvers with symmetric PSD matrices,
 * {@link org.natgrad.linalg.PsdSolver} (Cholesky, eigendecomposition, pseudo-inverse, data-space
 * Sherman–Morrison–Woodbury, rank-one Sherman–Morrison, randomized SVD; in double and single
 * precision), used by every curvature representation and the natural gradient; on native
 * OpenBLAS/LAPACK through JavaCPP, behind the {@link org.natgrad.linalg.Blas} seam chosen by {@link org.natgrad.linalg.Backend}; and, for the
 * natural gradient's curvature statistics only, single-precision {@link org.natgrad.linalg.FloatMatrix}
 * with native {@link org.natgrad.linalg.FloatOps} and {@link org.natgrad.linalg.FloatCholesky}.
 */
package org.natgrad.linalg;
