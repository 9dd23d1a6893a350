/**
 * Quality diagnostics of approximate natural gradients: for a network and batch small enough for
 * the exact (dense or data-space) Fisher, the angle and relative error between each approximate
 * natural gradient and the exact one ({@link org.natgrad.diagnostics.ApproximationQuality}), and a
 * {@link org.natgrad.diagnostics.QualityMonitor} that a training loop calls to log them every N steps.
 */
package org.natgrad.diagnostics;
