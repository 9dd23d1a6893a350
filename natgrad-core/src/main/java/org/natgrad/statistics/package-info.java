/**
 * What one batch's pass yields that adds up over examples: the gradient of the mean loss
 * ({@link org.natgrad.statistics.Gradients}, with the forward {@link org.natgrad.nn.Trace} and the
 * loss that produced it). It sits above {@code nn} and {@code likelihood} and below every
 * consumer ({@code curvature}, {@code optim}, {@code diagnostics}), so that no package reaches
 * up into the optimizer for a gradient.
 */
package org.natgrad.statistics;
