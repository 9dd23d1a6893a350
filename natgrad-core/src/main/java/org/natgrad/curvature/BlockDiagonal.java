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
public final class BlockDiagonal extends AbstractCurvature {
    /** Layer l's block solver: data space (K &lt; block size) or eigendecomposition, built on first use. */
    private final PsdSolver[] blocks;

    BlockDiagonal(CurvatureStatistics samples, ParamVector template) {
        super(CurvatureChoice.BLOCK_DIAGONAL, samples, template);
        this.blocks = new PsdSolver[samples.layers()];
    }

    @Override
    public double[] multiply(double[] v) {
        return byLayer(check(v), (l, block) -> samples.apply(l, samples.applyT(l, block)));
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
        return byLayer(checkSolve(g, damping), (l, block) -> asBlock(block(l).solve(damping, block.data()), l));
    }

    @Override
    public Matrix kernel(CurvatureStatistics k, double damping) {
        requireDamping(damping);
        Matrix out = new Matrix(k.count(), k.count());
        for (int l = 0; l < samples.layers(); l++) {
            if (!dualLayer(l)) {
                return kernelBySolves(k, damping);
            }
            MatOps.axpy(1, dual(l).kernel(k.gram(l), CurvatureStatistics.cross(k, l, samples), damping), out);
        }
        return out;
    }

    @Override
    public Matrix toDense() {
        return blockDiagonalDense("BlockDiagonal.toDense", l -> MatOps.syrk(1, layerSamples(samples, l), false, 0, null));
    }

    @Override
    public long bytes() {
        return sampleBytes(samples) + solverBytes(blocks);
    }
}
