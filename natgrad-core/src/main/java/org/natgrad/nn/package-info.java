/**
 * Deep networks: a {@link org.natgrad.nn.Network} chains {@link org.natgrad.nn.Layer}s
 * ({@link org.natgrad.nn.Dense}, {@link org.natgrad.nn.Conv2d}, {@link org.natgrad.nn.MaxPool2d},
 * {@link org.natgrad.nn.AvgPool2d}, {@link org.natgrad.nn.Affine}, {@link org.natgrad.nn.LayerNorm};
 * {@link org.natgrad.nn.ModelSpec} builds a network from a model string such as
 * {@code input 1x28x28, conv 32 5x5, relu, maxpool 2, dense 10}), with a forward pass that keeps a {@link org.natgrad.nn.Trace} and a
 * backward pass giving the errors of Eq. 8 and the gradients of Eq. 7 ({@link org.natgrad.nn.Backprop});
 * {@link org.natgrad.nn.ParamVector} (per-layer and flat views), activations and initialisers, and
 * the {@link org.natgrad.nn.Batch} that every pass takes (inputs n_0 x M, targets n_L x M).
 * Examples are columns; an image example is one column of C·H·W values with the channel fastest
 * and the locations row-major over (y, x) ({@link org.natgrad.nn.Geometry2d}), so n channels at L
 * locations are the same data as an n x (L·M) matrix and a dense layer reads an image as is.
 *
 * <p><b>Adding a layer type.</b> A layer implements {@link org.natgrad.nn.Layer} (and is added to
 * its {@code permits} list): per-example sizes {@code inputs()} and {@code outputs()}; its parameter
 * blocks {@code weights()} and {@code bias()} (a 0 x 0 matrix and null for a layer without
 * parameters), which {@link org.natgrad.nn.Network#parameters()} wraps in a ParamVector;
 * {@code forward} (input n_in x M → pre-activation and output n_out x M, kept in the Trace); the
 * three backward steps {@code error} (∂ℓ/∂output → δ at the pre-activation), {@code gradient}
 * (δ → the summed gradient of its blocks) and {@code inputError} (δ → ∂ℓ/∂input), optionally
 * their float32 versions; {@code copy}; and {@link org.natgrad.nn.Layer#statistics()}, the
 * {@link org.natgrad.nn.StatisticsForm} of its curvature block: {@code Kronecker(d, n, L)} with its
 * {@code factorInputs} (d x L·M: [x; 1] for a dense layer, input patches with the bias row for a
 * convolution, L output locations per example), {@code Diagonal(P)} (scale-and-shift,
 * normalization) or {@code None} (pooling, flatten). {@code LayerContractTest}
 * (tests) checks all of it against finite differences; a new layer adds a subclass.
 *
 * <p>{@link org.natgrad.nn.Network#denseLayer(int)} is the typed accessor for the code that is
 * dense-only by nature (closed forms for linear and dense networks, hand-written estimator passes,
 * model files); it names the layer type when the layer is not dense.
 */
package org.natgrad.nn;
