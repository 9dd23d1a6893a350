package org.natgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.FloatMatrix;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Naive;
import org.natgrad.linalg.Precision;
import org.natgrad.random.Rng;

/**
 * The contract every {@link Layer} keeps (EJML style: this abstract test, one small subclass per
 * layer type giving its cases and an independent hand computation of its forward pass). With the
 * scalar test function ℓ(x, θ) = Σ_ij R_ij y_ij(x, θ) for a fixed random R (so ∂ℓ/∂y = R):
 * <ul>
 *   <li>forward equals the subclass's hand computation to 1e-13 relative (summation order only);</li>
 *   <li>{@link Layer#inputError} ∘ {@link Layer#error} and {@link Layer#gradient} equal central
 *       finite differences of ℓ in every input and parameter, step h = ε^{1/3} max(1, |θ|)
 *       (ε = 2^-52; truncation O(h²) and round-off O(ε|ℓ|/h) are both about 1e-10 here), to
 *       max |fd − g| ≤ 1e-7 max |g|;</li>
 *   <li>the declared {@link StatisticsForm}: its parameter count equals {@link Layer#parameterCount()}
 *       and the blocks' sizes; for the Kronecker form the factor inputs are d x (L·M) and the
 *       gradient [∂W, ∂b] (n x d) equals E X̄^T with δ read as n x (L·M), to 1e-13 relative;</li>
 *   <li>the float32 steps ({@link Layer#forwardSingle}, {@link Layer#errorSingle},
 *       {@link Layer#gradientSingle}, {@link Layer#inputErrorSingle}, on double- and
 *       single-precision traces) agree with the double ones to 1e-6 relative in the max norm:
 *       float32 has u = 2^-24 ≈ 6e-8, and a product with inner dimension k ≤ 5 here (n_in, n_out or
 *       M) errs by at most γ_k ≈ k·u ≈ 3e-7 of |A||B| (Higham, Thm. 3.5), plus u per rounding of an
 *       input and of the activation;</li>
 *   <li>{@code error(..., overwrite = false)} leaves its argument alone; a copy shares no
 *       parameter storage; bad shapes are refused with a message naming the shape.</li>
 * </ul>
 */
abstract class LayerContractTest {
    private static final double EPS_CBRT = Math.cbrt(Math.ulp(1.0));
    private static final double FD_TOL = 1e-7;
    private static final double EXACT_TOL = 1e-13;
    static final int M = 5;

    /** The layers to check (random parameters from {@code rng}), each with a label. */
    abstract List<Layer> cases(Rng rng);

    /** A valid input batch for {@code layer}, n_in x m (away from any kink of its activation). */
    abstract Matrix input(Layer layer, int m, Rng rng);

    /** The layer's forward pass computed independently of its implementation (plain loops). */
    abstract Layer.Forward handForward(Layer layer, Matrix x);

    /**
     * A Gaussian input batch; for a ReLU layer ({@code relu}) redrawn until every pre-activation of the
     * hand forward pass is at least 1e-2 from the kink (a finite difference moves it by at most ~1e-4).
     */
    final Matrix gaussianAwayFromKink(Layer layer, int m, Rng rng, boolean relu) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            Matrix x = Naive.gaussian(layer.inputs(), m, rng);
            double min = Double.POSITIVE_INFINITY;
            for (double v : handForward(layer, x).preActivation().data()) {
                min = Math.min(min, Math.abs(v));
            }
            if (!relu || min >= 1e-2) {
                return x;
            }
        }
        throw new IllegalStateException("no input away from the ReLU kink for " + layer);
    }

    private static Trace traceOf(Layer layer, Matrix x) {
        return new Network(List.of(layer)).forward(x);
    }

    /** A case with a valid input, its one-layer trace and a random output error R (n_out x M). */
    private record Case(Layer layer, Matrix x, Trace trace, Matrix r) {
    }

    private List<Case> prepared(Rng rng) {
        return cases(rng).stream().map(layer -> {
            Matrix x = input(layer, M, rng);
            return new Case(layer, x, traceOf(layer, x), Naive.gaussian(layer.outputs(), M, rng));
        }).toList();
    }

    private static double objective(Layer layer, Matrix x, Matrix r) {
        Matrix y = layer.forward(x).output();
        double s = 0;
        for (int k = 0; k < y.size(); k++) {
            s += r.data()[k] * y.data()[k];
        }
        return s;
    }

    private static double relative(Matrix expected, Matrix actual) {
        assertEquals(expected.rows(), actual.rows(), "rows");
        assertEquals(expected.cols(), actual.cols(), "cols");
        return Naive.maxAbsDiff(expected, actual) / Math.max(Naive.maxAbs(expected), Double.MIN_NORMAL);
    }

    /** Central differences of ℓ in each entry of {@code values} (perturbed in place and restored). */
    private static Matrix centralDifferences(double[] values, int rows, int cols, java.util.function.DoubleSupplier l) {
        Matrix g = new Matrix(rows, cols);
        for (int k = 0; k < values.length; k++) {
            double v = values[k];
            double h = EPS_CBRT * Math.max(1, Math.abs(v));
            values[k] = v + h;
            double up = l.getAsDouble();
            values[k] = v - h;
            double down = l.getAsDouble();
            values[k] = v;
            g.data()[k] = (up - down) / (2 * h);
        }
        return g;
    }

    @Test
    void forwardMatchesTheHandComputation() {
        Rng rng = new Rng(1);
        for (Layer layer : cases(rng)) {
            Matrix x = input(layer, M, rng);
            Matrix before = x.copy();
            Layer.Forward f = layer.forward(x);
            Layer.Forward hand = handForward(layer, x);
            assertEquals(before, x, layer + ": forward must not modify its input");
            assertEquals(layer.outputs(), f.output().rows(), layer + ": output rows");
            assertEquals(M, f.output().cols(), layer + ": output columns");
            assertTrue(relative(hand.preActivation(), f.preActivation()) <= EXACT_TOL, layer + ": pre-activation");
            assertTrue(relative(hand.output(), f.output()) <= EXACT_TOL, layer + ": output");
        }
    }

    @Test
    void backwardMatchesCentralDifferences() {
        for (Case c : prepared(new Rng(2))) {
            Layer layer = c.layer();
            Matrix x = c.x();
            Matrix r = c.r();
            Trace trace = c.trace();
            Matrix rBefore = r.copy();
            Matrix delta = layer.error(trace, 0, r, false);
            assertEquals(rBefore, r, layer + ": error(overwrite = false) must leave the output error alone");
            Matrix dx = layer.inputError(trace, 0, delta);
            Layer.Gradient g = layer.gradient(trace, 0, delta);

            Matrix fdx = centralDifferences(x.data(), x.rows(), x.cols(), () -> objective(layer, x, r));
            double ex = relative(fdx, dx);
            assertTrue(ex <= FD_TOL, layer + ": input error vs finite differences, relative " + ex);

            Matrix w = layer.weights();
            Matrix fdw = centralDifferences(w.data(), w.rows(), w.cols(), () -> objective(layer, x, r));
            double ew = relative(fdw, g.weights());
            assertTrue(ew <= FD_TOL, layer + ": weight gradient vs finite differences, relative " + ew);
            if (layer.hasBias()) {
                Matrix b = layer.bias();
                Matrix fdb = centralDifferences(b.data(), b.rows(), b.cols(), () -> objective(layer, x, r));
                double eb = relative(fdb, g.bias());
                assertTrue(eb <= FD_TOL, layer + ": bias gradient vs finite differences, relative " + eb);
            } else {
                assertEquals(null, g.bias(), layer + ": no bias gradient without a bias");
            }
            System.out.printf("%s: %s finite-difference relative errors: input %.2e, weights %.2e%n",
                    getClass().getSimpleName(), layer, ex, ew);
        }
    }

    @Test
    void parameterCountAndStatisticsFormAgreeWithTheBlocks() {
        for (Case c : prepared(new Rng(3))) {
            Layer layer = c.layer();
            int blocks = layer.weights().size() + (layer.hasBias() ? layer.bias().size() : 0);
            assertEquals(blocks, layer.parameterCount(), layer + ": parameterCount vs blocks");
            StatisticsForm form = layer.statistics();
            assertEquals(layer.parameterCount(), form.parameters(), layer + ": statistics form's parameters");
            Trace trace = c.trace();
            Matrix delta = layer.error(trace, 0, c.r(), false);
            Layer.Gradient g = layer.gradient(trace, 0, delta);
            assertEquals(layer.weights().rows(), g.weights().rows(), layer + ": weight gradient rows");
            assertEquals(layer.weights().cols(), g.weights().cols(), layer + ": weight gradient cols");
            if (form instanceof StatisticsForm.Kronecker k) {
                Matrix xbar = trace.inputWithBias(0);
                assertEquals(k.inputDimension(), xbar.rows(), layer + ": factor input rows = d");
                assertEquals((long) k.locations() * M, xbar.cols(), layer + ": factor input columns = L·M");
                assertEquals((long) k.outputDimension() * k.locations(), layer.outputs(), layer + ": n·L = n_out");
                Matrix e = new Matrix(k.outputDimension(), k.locations() * M, delta.data());
                Matrix fromFactors = Naive.multiply(e, Naive.transpose(xbar));
                Matrix blocksAsMatrix = new Matrix(k.outputDimension(), k.inputDimension());
                int nw = g.weights().size();
                System.arraycopy(g.weights().data(), 0, blocksAsMatrix.data(), 0, nw);
                if (g.bias() != null) {
                    System.arraycopy(g.bias().data(), 0, blocksAsMatrix.data(), nw, g.bias().size());
                }
                assertTrue(relative(fromFactors, blocksAsMatrix) <= EXACT_TOL,
                        layer + ": gradient [dW, db] = E X̄^T (the Kronecker form's sample structure)");
            }
        }
    }

    @Test
    void singlePrecisionStepsAgreeWithDouble() {
        for (Case c : prepared(new Rng(4))) {
            Layer layer = c.layer();
            Trace trace = c.trace();
            FloatMatrix rs = FloatMatrix.of(c.r());
            Matrix delta = layer.error(trace, 0, c.r(), false);
            FloatMatrix deltaS = layer.errorSingle(trace, 0, rs);
            assertSame(rs, deltaS, layer + ": errorSingle works in place");
            assertTrue(relative(delta, deltaS.toMatrix()) <= 1e-6, layer + ": errorSingle vs error");
            Matrix dx = layer.inputError(trace, 0, delta);
            assertTrue(relative(dx, layer.inputErrorSingle(trace, 0, FloatMatrix.of(delta)).toMatrix()) <= 1e-6,
                    layer + ": inputErrorSingle vs inputError");
            // the same steps on a single-precision trace (float32 forward pass), and its gradient
            Trace single = new Network(List.of(layer)).forward(c.x(), Precision.SINGLE);
            assertEquals(Precision.SINGLE, single.precision());
            Layer.SingleForward f = layer.forwardSingle(FloatMatrix.of(c.x()), FloatMatrix.of(layer.weights()));
            assertTrue(relative(trace.layerOutput(0), f.output().toMatrix()) <= 1e-6, layer + ": forwardSingle vs forward");
            assertTrue(relative(trace.preActivation(0), single.preActivation(0)) <= 1e-6,
                    layer + ": single-precision trace's pre-activation");
            Matrix deltaFromSingle = layer.errorSingle(single, 0, FloatMatrix.of(c.r())).toMatrix();
            assertTrue(relative(delta, deltaFromSingle) <= 1e-6, layer + ": errorSingle on a single-precision trace");
            Layer.Gradient g = layer.gradient(trace, 0, delta);
            Layer.Gradient gs = layer.gradientSingle(single, 0, FloatMatrix.of(delta));
            assertTrue(relative(g.weights(), gs.weights()) <= 1e-6, layer + ": gradientSingle vs gradient (weights)");
            if (g.bias() != null) {
                assertTrue(relative(g.bias(), gs.bias()) <= 1e-6, layer + ": gradientSingle vs gradient (bias)");
            }
        }
    }

    @Test
    void aCopySharesNoParameters() {
        Rng rng = new Rng(5);
        for (Layer layer : cases(rng)) {
            Matrix x = input(layer, M, rng);
            Matrix out = layer.forward(x).output().copy();
            Layer c = layer.copy();
            assertSame(layer.getClass(), c.getClass(), layer + ": copy keeps the type");
            assertEquals(out, c.forward(x).output(), layer + ": a copy computes the same output");
            assertNotSame(layer.weights(), c.weights(), layer + ": weights copied");
            if (c.weights().size() == 0) {
                assertEquals(0, layer.parameterCount(), layer + ": a 0 x 0 weight block means no parameters");
                continue;
            }
            c.weights().data()[0] += 1;
            if (c.hasBias()) {
                assertNotSame(layer.bias(), c.bias(), layer + ": bias copied");
                c.bias().data()[0] += 1;
            }
            assertEquals(out, layer.forward(x).output(), layer + ": changing the copy leaves the original");
        }
    }

    @Test
    void badShapesAreRefusedWithTheShape() {
        Rng rng = new Rng(6);
        for (Layer layer : cases(rng)) {
            Matrix wrongIn = new Matrix(layer.inputs() + 1, M);
            assertMessageNames(assertThrows(IllegalArgumentException.class, () -> layer.forward(wrongIn)), wrongIn);
            Trace trace = traceOf(layer, input(layer, M, rng));
            Matrix wrongRows = new Matrix(layer.outputs() + 1, M);
            Matrix wrongCols = new Matrix(layer.outputs(), M + 1);
            assertMessageNames(assertThrows(IllegalArgumentException.class,
                    () -> layer.error(trace, 0, wrongRows, false)), wrongRows);
            assertMessageNames(assertThrows(IllegalArgumentException.class,
                    () -> layer.error(trace, 0, wrongCols, false)), wrongCols);
            assertThrows(IllegalArgumentException.class, () -> layer.inputError(trace, 0, wrongRows));
            assertThrows(IllegalArgumentException.class, () -> layer.gradient(trace, 0, wrongRows));
            assertThrows(IllegalArgumentException.class,
                    () -> layer.errorSingle(trace, 0, FloatMatrix.of(wrongRows)));
            assertThrows(IllegalArgumentException.class,
                    () -> layer.inputErrorSingle(trace, 0, FloatMatrix.of(wrongRows)));
        }
    }

    private static void assertMessageNames(IllegalArgumentException e, Matrix bad) {
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().contains(bad.shape()), "message names the shape " + bad.shape() + ": " + e.getMessage());
    }
}
