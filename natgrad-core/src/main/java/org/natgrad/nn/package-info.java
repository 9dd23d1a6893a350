/**
 * Deep networks: {@link org.natgrad.nn.Dense} layers, {@link org.natgrad.nn.Network} with a
 * forward pass that keeps a {@link org.natgrad.nn.Trace} and a backward pass giving the errors of
 * Eq. 8 and the gradients of Eq. 7, {@link org.natgrad.nn.ParamVector} (per-layer and flat views),
 * activations and initialisers, and the {@link org.natgrad.nn.Batch} that every pass takes
 * (inputs n_0 x M, targets n_L x M). Examples are columns.
 */
package org.natgrad.nn;
