/**
 * Quality diagnostics of approximate natural gradients: the angle and relative error between each
 * approximate natural gradient and the exact one ({@link org.natgrad.diagnostics.ApproximationQuality}),
 * with the exact one from a dense or data-space solve for small networks and from conjugate gradients on
 * matrix-free Fisher products ({@code org.natgrad.matrixfree}) beyond the dense limit, and a
 * {@link org.natgrad.diagnostics.QualityMonitor} that a training loop calls to log them every N steps.
 */
package org.natgrad.diagnostics;
