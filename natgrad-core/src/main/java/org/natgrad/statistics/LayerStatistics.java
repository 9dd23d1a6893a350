package org.natgrad.statistics;

import org.natgrad.linalg.FloatMatrix;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;

/**
 * One layer's curvature statistics: what a batch tells the curvature about layer l, a value that
 * adds. With d = the layer's input size (bias row included when it has a bias) and n = its output
 * size, it represents the two Kronecker factors of math.md Eq. 10 as <b>means over the
 * {@link #examples()} M examples</b>,
 * <ul>
 *   <li>Λ = (1/M) Σ_m x̄_m x̄_m^T (d x d), and</li>
 *   <li>Λ̃ = Σ_k e_k e_k^T (n x n), the error samples scaled so that the sum is the mean over
 *       examples of the expected δ δ^T (model-sampled, exact or empirical errors),</li>
 * </ul>
 * in one of two forms:
 * <ul>
 *   <li>{@link Samples}: the inputs X̄ (d x M) and errors E (n x BM, B blocks of M columns; error
 *       column k belongs to example k mod M), in double or single precision. Every structured
 *       curvature can be built from these, because they also give the exact per-sample terms
 *       s_k = x̄_{k mod M} ⊗ e_k with F_ll = Σ_k s_k s_k^T;</li>
 *   <li>{@link Factors}: Λ and Λ̃ themselves (from minibatch moments, or a moving average), which
 *       Kronecker representations accept and the others refuse.</li>
 * </ul>
 * {@link #plus} gives the statistics of the union of two batches, {@link #scaled} multiplies the
 * represented block by c (in Λ̃, where the scale lives), {@link #movingAverage} blends two in
 * factor form. These three are what a distributed engine reduces and what a moving average keeps.
 */
public sealed interface LayerStatistics permits LayerStatistics.Samples, LayerStatistics.Factors {

    /** M, the number of examples these statistics are a mean over. */
    long examples();

    /** d, the input size (bias row included). */
    int inputSize();

    /** n, the output size. */
    int outputSize();

    /** The precision in which the errors are held. */
    Precision precision();

    /** Λ = (1/M) Σ x̄ x̄^T, d x d (a new matrix). */
    Matrix lambda();

    /** Λ̃, n x n (a new matrix). */
    Matrix lambdaTilde();

    /** True when every stored entry is finite. */
    boolean isFinite();

    /** Bytes of the stored arrays. */
    long bytes();

    /** The same statistics with double-precision errors (exact conversion; this when already double). */
    LayerStatistics toDouble();

    /** These statistics with the represented Λ̃ (and so the layer's block of F) multiplied by c ≥ 0. */
    LayerStatistics scaled(double c);

    /**
     * The statistics of the union of this batch and {@code other}'s (examples M_a + M_b; each
     * side's mean is weighted by its share of the examples). Two sample forms with as many error
     * blocks stay samples (the errors are interleaved block by block, so that error column k still
     * belongs to example k mod M); otherwise the result is in factor form.
     */
    default LayerStatistics plus(LayerStatistics other) {
        requireSameShape(other);
        long m = examples() + other.examples();
        if (this instanceof Samples a && other instanceof Samples b && a.blocks() == b.blocks()
                && a.precision() == b.precision()) {
            return Samples.union(a, b);
        }
        double wa = (double) examples() / m;
        double wb = (double) other.examples() / m;
        return Factors.blend(this, wa, other, wb, m);
    }

    /**
     * The moving average decay · this + (1 − decay) · newer of the represented factors, in factor
     * form (0 ≤ decay ≤ 1), counted as {@code newer}'s examples.
     */
    default LayerStatistics movingAverage(double decay, LayerStatistics newer) {
        if (!(decay >= 0 && decay <= 1)) {
            throw new IllegalArgumentException("LayerStatistics.movingAverage: decay must be in [0, 1], got " + decay);
        }
        requireSameShape(newer);
        return Factors.blend(this, decay, newer, 1 - decay, newer.examples());
    }

    private void requireSameShape(LayerStatistics other) {
        if (other.inputSize() != inputSize() || other.outputSize() != outputSize()) {
            throw new IllegalArgumentException("LayerStatistics: cannot combine a " + outputSize() + "x" + inputSize()
                    + " layer's statistics with a " + other.outputSize() + "x" + other.inputSize() + " layer's");
        }
    }

    /** The precision of stored statistics. */
    enum Precision {
        /** float64. */
        DOUBLE,
        /** float32 errors (inputs stay the trace's doubles). */
        SINGLE
    }

    /**
     * The sample form.
     *
     * @param inputs   X̄, d x M: the layer's inputs with the bias row, one column per example (not scaled)
     * @param blocks   B ≥ 1, the number of error columns per example
     * @param errors   E, n x BM in double precision (null when {@code errors32} is given)
     * @param errors32 E in single precision (null when {@code errors} is given)
     */
    record Samples(Matrix inputs, int blocks, Matrix errors, FloatMatrix errors32) implements LayerStatistics {
        public Samples {
            if (inputs == null || (errors == null) == (errors32 == null) || blocks < 1) {
                throw new IllegalArgumentException("LayerStatistics.Samples: need inputs, blocks >= 1 and exactly one of "
                        + "double or single errors");
            }
            int cols = errors != null ? errors.cols() : errors32.cols();
            if (cols != (long) blocks * inputs.cols()) {
                throw new IllegalArgumentException("LayerStatistics.Samples: " + cols + " error columns but " + blocks
                        + " blocks of " + inputs.cols() + " examples");
            }
        }

        /** Double-precision samples. */
        public Samples(Matrix inputs, int blocks, Matrix errors) {
            this(inputs, blocks, errors, null);
        }

        @Override
        public long examples() {
            return inputs.cols();
        }

        @Override
        public int inputSize() {
            return inputs.rows();
        }

        @Override
        public int outputSize() {
            return errors != null ? errors.rows() : errors32.rows();
        }

        /** K = BM, the number of error samples. */
        public int count() {
            return errors != null ? errors.cols() : errors32.cols();
        }

        @Override
        public Precision precision() {
            return errors != null ? Precision.DOUBLE : Precision.SINGLE;
        }

        /** E in double precision (the stored matrix, or an exact conversion). */
        public Matrix doubleErrors() {
            return errors != null ? errors : errors32.toMatrix();
        }

        /** U = X̄/√M (d x M, a new matrix): Λ = U U^T. */
        public Matrix inputSamples() {
            return MatOps.scale(1.0 / Math.sqrt(inputs.cols()), inputs, null);
        }

        /** U = X̄/√M in single precision, each entry rounded once from the double product. */
        public FloatMatrix inputSamplesSingle() {
            return FloatMatrix.of(inputs, 1.0 / Math.sqrt(inputs.cols()));
        }

        /** X̄ with each example repeated once per block (d x BM): column k pairs with error column k. */
        public Matrix pairedInputs() {
            return repeatColumns(inputs, blocks);
        }

        @Override
        public Matrix lambda() {
            return MatOps.syrk(1.0 / inputs.cols(), inputs, false, 0, null);
        }

        @Override
        public Matrix lambdaTilde() {
            return MatOps.syrk(1, doubleErrors(), false, 0, null);
        }

        @Override
        public boolean isFinite() {
            return inputs.isFinite() && (errors != null ? errors.isFinite() : errors32.isFinite());
        }

        @Override
        public long bytes() {
            return 8L * inputs.size() + (errors != null ? 8L * errors.size() : 4L * errors32.rows() * errors32.cols());
        }

        @Override
        public LayerStatistics toDouble() {
            return errors != null ? this : new Samples(inputs, blocks, errors32.toMatrix());
        }

        @Override
        public LayerStatistics scaled(double c) {
            requireScale(c);
            return new Samples(inputs, blocks, MatOps.scale(Math.sqrt(c), doubleErrors(), null));
        }

        static Samples union(Samples a, Samples b) {
            int ma = a.inputs.cols();
            int mb = b.inputs.cols();
            int d = a.inputs.rows();
            int n = a.outputSize();
            Matrix x = new Matrix(d, ma + mb);
            System.arraycopy(a.inputs.data(), 0, x.data(), 0, a.inputs.size());
            System.arraycopy(b.inputs.data(), 0, x.data(), a.inputs.size(), b.inputs.size());
            double m = ma + mb;
            double sa = Math.sqrt(ma / m);
            double sb = Math.sqrt(mb / m);
            double[] ea = a.doubleErrors().data();
            double[] eb = b.doubleErrors().data();
            Matrix e = new Matrix(n, a.blocks * (ma + mb));
            double[] ed = e.data();
            int to = 0;
            for (int blk = 0; blk < a.blocks; blk++) {
                for (int q = blk * ma * n, end = q + ma * n; q < end; q++) {
                    ed[to++] = sa * ea[q];
                }
                for (int q = blk * mb * n, end = q + mb * n; q < end; q++) {
                    ed[to++] = sb * eb[q];
                }
            }
            return new Samples(x, a.blocks, e);
        }
    }

    /**
     * The factor form.
     *
     * @param lambda      Λ, d x d
     * @param lambdaTilde Λ̃, n x n
     * @param examples    M
     */
    record Factors(Matrix lambda, Matrix lambdaTilde, long examples) implements LayerStatistics {
        public Factors {
            if (lambda == null || lambdaTilde == null || lambda.rows() != lambda.cols()
                    || lambdaTilde.rows() != lambdaTilde.cols() || examples < 0) {
                throw new IllegalArgumentException("LayerStatistics.Factors: need square Lambda and LambdaTilde and "
                        + "examples >= 0, got " + (lambda == null ? "null" : lambda.shape()) + ", "
                        + (lambdaTilde == null ? "null" : lambdaTilde.shape()) + ", " + examples);
            }
        }

        @Override
        public int inputSize() {
            return lambda.rows();
        }

        @Override
        public int outputSize() {
            return lambdaTilde.rows();
        }

        @Override
        public Precision precision() {
            return Precision.DOUBLE;
        }

        @Override
        public Matrix lambda() {
            return lambda.copy();
        }

        @Override
        public Matrix lambdaTilde() {
            return lambdaTilde.copy();
        }

        @Override
        public boolean isFinite() {
            return lambda.isFinite() && lambdaTilde.isFinite();
        }

        @Override
        public long bytes() {
            return 8L * (lambda.size() + lambdaTilde.size());
        }

        @Override
        public LayerStatistics toDouble() {
            return this;
        }

        @Override
        public LayerStatistics scaled(double c) {
            requireScale(c);
            return new Factors(lambda, MatOps.scale(c, lambdaTilde, null), examples);
        }

        static Factors blend(LayerStatistics a, double wa, LayerStatistics b, double wb, long examples) {
            Matrix l = MatOps.scale(wa, a.lambda(), null);
            MatOps.axpy(wb, b.lambda(), l);
            Matrix lt = MatOps.scale(wa, a.lambdaTilde(), null);
            MatOps.axpy(wb, b.lambdaTilde(), lt);
            return new Factors(l, lt, examples);
        }
    }

    private static void requireScale(double c) {
        if (!(c >= 0) || Double.isInfinite(c)) {
            throw new IllegalArgumentException("LayerStatistics.scaled: the factor must be finite and >= 0, got " + c);
        }
    }

    /** x with its columns repeated {@code times} times (x itself when once). */
    static Matrix repeatColumns(Matrix x, int times) {
        if (times == 1) {
            return x;
        }
        Matrix r = new Matrix(x.rows(), x.cols() * times);
        for (int t = 0; t < times; t++) {
            System.arraycopy(x.data(), 0, r.data(), t * x.size(), x.size());
        }
        return r;
    }
}
