package org.natgrad.curvature;

import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.GramSolver;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.PsdSolver;
import org.natgrad.nn.ParamVector;

/**
 * The exact per-layer blocks F_ll = S_l S_l^T (math.md §4.4, BD), zero elsewhere. Each block is
 * solved in data space, (F_ll + ρI)^{-1} g_l through the K x K Gram matrix Θ_l-like
 * S_l^T S_l = (X̄_l^T X̄_l) ∘ (D_l^T D_l), when K is below the block size, else through the
 * block's own eigendecomposition.
 */
public final class BlockDiagonal implements Curvature {
    private final CurvatureStatistics samples;
    private final ParamVector template;
    /** Layer l's block solver: data space (K &lt; block size) or eigendecomposition, built on first use. */
    private final PsdSolver[] blocks;

    BlockDiagonal(CurvatureStatistics samples, ParamVector template) {
        this.samples = samples;
        this.template = template;
        this.blocks = new PsdSolver[samples.layers()];
    }

    @Override
    public CurvatureChoice choice() {
        return CurvatureChoice.BLOCK_DIAGONAL;
    }

    @Override
    public CurvatureStatistics statistics() {
        return samples;
    }

    @Override
    public ParamVector template() {
        return template;
    }

    @Override
    public double[] multiply(double[] v) {
        check(v);
        double[] out = new double[v.length];
        for (int l = 0; l < samples.layers(); l++) {
            Matrix b = samples.apply(l, samples.applyT(l, samples.block(v, l)));
            System.arraycopy(b.data(), 0, out, samples.offset(l), b.size());
        }
        return out;
    }

    private boolean dualLayer(int l) {
        return samples.count() < samples.layerSize(l);
    }

    /** The data-space solver of layer l's block (a new one). */
    private GramSolver dual(int l) {
        return PsdSolver.dataSpace(samples.layerSize(l), samples.gram(l), v -> samples.apply(l, v).data(),
                g -> samples.applyT(l, asBlock(g, l)), "Fisher block " + (l + 1));
    }

    private PsdSolver block(int l) {
        if (blocks[l] == null) {
            blocks[l] = dualLayer(l) ? dual(l)
                    : PsdSolver.eigenOfSamples(layerSamples(samples, l), "Fisher block " + (l + 1));
        }
        return blocks[l];
    }

    private Matrix asBlock(double[] g, int l) {
        return new Matrix(samples.errors()[l].rows(), samples.inputs()[l].rows(), g);
    }

    /** S_l as a dense (d_l n_l) x K matrix. */
    static Matrix layerSamples(CurvatureStatistics samples, int l) {
        int k = samples.count();
        Matrix s = new Matrix(samples.layerSize(l), k);
        double[] e = new double[k];
        for (int j = 0; j < k; j++) {
            java.util.Arrays.fill(e, 0);
            e[j] = 1;
            Matrix b = samples.apply(l, e);
            System.arraycopy(b.data(), 0, s.data(), j * s.rows(), b.size());
        }
        return s;
    }

    @Override
    public double[] solve(double[] g, double damping) {
        check(g);
        DenseCurvature.requireDamping(damping);
        double[] out = new double[g.length];
        for (int l = 0; l < samples.layers(); l++) {
            double[] gl = samples.block(g, l).data();
            double[] x = block(l).solve(damping, gl);
            System.arraycopy(x, 0, out, samples.offset(l), x.length);
        }
        return out;
    }

    @Override
    public Matrix kernel(CurvatureStatistics k, double damping) {
        DenseCurvature.requireDamping(damping);
        Matrix out = new Matrix(k.count(), k.count());
        for (int l = 0; l < samples.layers(); l++) {
            if (!dualLayer(l)) {
                return Curvature.super.kernel(k, damping);
            }
            MatOps.axpy(1, dual(l).kernel(k.gram(l), CurvatureStatistics.cross(k, l, samples), damping), out);
        }
        return out;
    }

    @Override
    public Matrix toDense() {
        DenseCurvature.requireDenseSize("BlockDiagonal.toDense", size());
        Matrix f = new Matrix(size(), size());
        for (int l = 0; l < samples.layers(); l++) {
            Matrix s = layerSamples(samples, l);
            Matrix b = MatOps.syrk(1, s, false, 0, null);
            int o = samples.offset(l);
            for (int j = 0; j < b.cols(); j++) {
                for (int i = 0; i < b.rows(); i++) {
                    f.set(o + i, o + j, b.get(i, j));
                }
            }
        }
        return f;
    }

    @Override
    public double trace() {
        return samples.gram().trace();
    }

    @Override
    public long bytes() {
        long b = DenseCurvature.sampleBytes(samples);
        for (int l = 0; l < samples.layers(); l++) {
            b += blocks[l] == null ? 0 : blocks[l].bytes();
        }
        return b;
    }
}
