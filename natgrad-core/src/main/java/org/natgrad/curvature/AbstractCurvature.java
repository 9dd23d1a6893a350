package org.natgrad.curvature;

import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.PsdSolver;
import org.natgrad.nn.ParamVector;
import org.natgrad.statistics.CurvatureStatistics;

/**
 * What every {@link Curvature} representation shares: its structure ({@link CurvatureChoice}), the
 * {@link CurvatureStatistics} it was built from and the zero {@link ParamVector} template (P
 * parameters, flat order per layer vec([W_l, b_l]) column-major), plus the per-layer plumbing the
 * representations would otherwise each write: mapping every layer's n_l x d_l block of a flat
 * vector to a block of the same shape, checking a solve's input and damping, placing diagonal
 * blocks in a dense P x P matrix, and counting the bytes of the samples and of per-layer solvers.
 * The helpers perform exactly the operations the representations performed inline, in the same
 * order, so results are unchanged bit for bit.
 */
abstract sealed class AbstractCurvature implements Curvature
        permits DenseCurvature, BlockDiagonal, BlockTridiagonal, KroneckerFactored, EigenCorrectedKronecker,
        UnitWise, DiagonalFisher {

    final CurvatureChoice choice;
    final CurvatureStatistics samples;
    final ParamVector template;

    AbstractCurvature(CurvatureChoice choice, CurvatureStatistics samples, ParamVector template) {
        this.choice = choice;
        this.samples = samples;
        this.template = template;
    }

    @Override
    public final CurvatureChoice choice() {
        return choice;
    }

    @Override
    public final CurvatureStatistics statistics() {
        return samples;
    }

    @Override
    public final ParamVector template() {
        return template;
    }

    /**
     * tr F = tr(S^T S), the trace of the exact Fisher of the samples. It is tr G for every
     * representation that keeps F's diagonal entries exactly (exact, block-diagonal, block
     * tri-diagonal, unit-wise); representations that approximate the diagonal blocks override it.
     */
    @Override
    public double trace() {
        return samples.gram().trace();
    }

    /** A map from layer l's block (n_l x d_l, a fresh matrix the map may overwrite) to a block of the same shape. */
    @FunctionalInterface
    interface BlockMap {
        Matrix apply(int layer, Matrix block);
    }

    /**
     * The flat vector (length P) whose layer-l slice is {@code map} applied to layer l's block of
     * {@code v} (length P), for every layer in order.
     */
    final double[] byLayer(double[] v, BlockMap map) {
        double[] out = new double[v.length];
        for (int l = 0; l < samples.layers(); l++) {
            Matrix b = map.apply(l, samples.block(v, l));
            System.arraycopy(b.data(), 0, out, samples.offset(l), b.size());
        }
        return out;
    }

    /** Checks a solve's right-hand side g (length P, finite) and its damping (finite, ≥ 0); returns g. */
    final double[] checkSolve(double[] g, double damping) {
        check(g);
        requireDamping(damping);
        return g;
    }

    /** A P x P matrix holding {@code block.apply(l)} at layer l's diagonal block, zero elsewhere. */
    final Matrix blockDiagonalDense(String op, java.util.function.IntFunction<Matrix> block) {
        requireDenseSize(op, size());
        Matrix f = new Matrix(size(), size());
        for (int l = 0; l < samples.layers(); l++) {
            place(f, block.apply(l), samples.offset(l));
        }
        return f;
    }

    /**
     * The kernel S_k^T (G + ρI)^{-1} S_k by one solve per sample of {@code k} (the interface's
     * default), for representations whose data-space form does not apply to a given case.
     */
    final Matrix kernelBySolves(CurvatureStatistics k, double damping) {
        return Curvature.super.kernel(k, damping);
    }

    /** Copies {@code block} into f with its top-left corner at (o, o). */
    static void place(Matrix f, Matrix block, int o) {
        for (int j = 0; j < block.cols(); j++) {
            for (int i = 0; i < block.rows(); i++) {
                f.set(o + i, o + j, block.get(i, j));
            }
        }
    }

    /** Bytes held by the built solvers among {@code solvers} (a null entry, not built yet, holds none). */
    static long solverBytes(PsdSolver... solvers) {
        long b = 0;
        for (PsdSolver solver : solvers) {
            b += solver == null ? 0 : solver.bytes();
        }
        return b;
    }

    /** Bytes of the per-example samples X̄_l and D_l, 8 a double. */
    static long sampleBytes(CurvatureStatistics s) {
        long b = 0;
        for (int l = 0; l < s.layers(); l++) {
            b += 8L * (s.inputs()[l].size() + s.errors()[l].size());
        }
        return b;
    }

    /** {@code t} plus the entries of {@code values}, added one at a time in index order. */
    static double accumulate(double t, double[] values) {
        for (double v : values) {
            t += v;
        }
        return t;
    }

    static void requireDenseSize(String op, int p) {
        CurvatureStatistics.requireDenseSize(op, p);
    }

    static void requireDamping(double damping) {
        if (!(damping >= 0) || Double.isInfinite(damping)) {
            throw new IllegalArgumentException("curvature solve: damping must be finite and >= 0, got " + damping);
        }
    }
}
