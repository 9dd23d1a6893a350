package org.natgrad.curvature;

import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.PsdSolver;
import org.natgrad.nn.ParamVector;

/**
 * K-FAC: each diagonal block F_ll ≈ Λ_l ⊗ Λ̃_l with Λ_l = (1/K) Σ_k x̄_k x̄_k^T (d_l x d_l, the
 * input second moment, bias row included) and Λ̃_l = Σ_k δ_k δ_k^T (n_l x n_l, the scaled
 * errors), zero off the diagonal blocks (math.md §4.4). In the block's matrix form
 * (Λ_l ⊗ Λ̃_l) vec V = vec(Λ̃_l V Λ_l).
 *
 * <p><b>Damping</b> is π-factored (Martens and Grosse 2015): solving with ρ gives
 * (Λ̃_l + (√ρ/π_l) I)^{-1} V (Λ_l + π_l √ρ I)^{-1} with
 * π_l = √((tr Λ_l / d_l) / (tr Λ̃_l / n_l)) (π_l = 1 when a trace is 0): the inverse of
 * (Λ_l + π√ρ I) ⊗ (Λ̃_l + (√ρ/π) I) = Λ_l ⊗ Λ̃_l + ρ I + √ρ (π I ⊗ Λ̃_l + Λ_l ⊗ I/π), so not exactly
 * (G + ρI)^{-1}. ρ = 0 gives Moore–Penrose pseudo-inverses of both factors, which is the
 * pseudo-inverse of Λ ⊗ Λ̃.
 *
 * <p>It equals the exact block where theory says so: for a deep linear network with a Gaussian
 * output the errors do not depend on the input (Eq. 22), and with a single example the sum over k
 * factorizes; see the tests.
 */
public final class KroneckerFactored implements Curvature {
    private final FisherSamples samples;
    private final ParamVector template;
    private final PsdSolver[] lambdaSolver;
    private final PsdSolver[] lambdaTildeSolver;
    private final double[] pi;

    KroneckerFactored(FisherSamples samples, ParamVector template) {
        this.samples = samples;
        this.template = template;
        int layers = samples.layers();
        this.lambdaSolver = new PsdSolver[layers];
        this.lambdaTildeSolver = new PsdSolver[layers];
        this.pi = new double[layers];
        double k = samples.count();
        for (int l = 0; l < layers; l++) {
            Matrix ya = MatOps.scale(1 / Math.sqrt(k), samples.inputs()[l], null);
            lambdaSolver[l] = PsdSolver.eigenOfSamples(ya, "K-FAC factor Lambda of layer " + (l + 1));
            lambdaTildeSolver[l] = PsdSolver.eigenOfSamples(samples.errors()[l],
                    "K-FAC factor LambdaTilde of layer " + (l + 1));
            double ta = square(ya) / ya.rows();
            double tb = square(samples.errors()[l]) / samples.errors()[l].rows();
            pi[l] = ta > 0 && tb > 0 && Double.isFinite(ta / tb) ? Math.sqrt(ta / tb) : 1;
        }
    }

    private static double square(Matrix a) {
        double f = a.frobeniusNorm();
        return f * f;
    }

    @Override
    public CurvatureChoice choice() {
        return CurvatureChoice.KFAC;
    }

    @Override
    public ParamVector template() {
        return template;
    }

    /** Λ_l, d_l x d_l. */
    public Matrix lambda(int l) {
        Matrix x = samples.inputs()[l];
        return MatOps.syrk(1.0 / x.cols(), x, false, 0, null);
    }

    /** Λ̃_l, n_l x n_l. */
    public Matrix lambdaTilde(int l) {
        return MatOps.syrk(1, samples.errors()[l], false, 0, null);
    }

    /** π_l of the π-factored damping. */
    public double pi(int l) {
        return pi[l];
    }

    @Override
    public double[] multiply(double[] v) {
        check(v);
        double[] out = new double[v.length];
        for (int l = 0; l < samples.layers(); l++) {
            Matrix x = samples.inputs()[l];
            Matrix d = samples.errors()[l];
            Matrix dv = MatOps.gemm(1, d, true, samples.block(v, l), false, 0, null);
            Matrix dvx = MatOps.multiply(dv, x);
            Matrix b = MatOps.gemm(1.0 / x.cols(), MatOps.multiply(d, dvx), false, x, true, 0, null);
            System.arraycopy(b.data(), 0, out, samples.offset(l), b.size());
        }
        return out;
    }

    @Override
    public double[] solve(double[] g, double damping) {
        check(g);
        DenseCurvature.requireDamping(damping);
        double[] out = new double[g.length];
        for (int l = 0; l < samples.layers(); l++) {
            Matrix b = solveBlock(l, samples.block(g, l), damping);
            System.arraycopy(b.data(), 0, out, samples.offset(l), b.size());
        }
        return out;
    }

    /** (Λ̃ + (√ρ/π) I)^{-1} V (Λ + π√ρ I)^{-1} for layer l's block V (n_l x d_l). */
    public Matrix solveBlock(int l, Matrix v, double damping) {
        double r = Math.sqrt(damping);
        return lambdaSolver[l].solveRight(r * pi[l], lambdaTildeSolver[l].solve(r / pi[l], v));
    }

    /** Σ_l (X̄_k^T Λ_l^{-1} X̄_k) ∘ (D_k^T Λ̃_l^{-1} D_k): each sample's block is rank one. */
    @Override
    public Matrix kernel(FisherSamples k, double damping) {
        DenseCurvature.requireDamping(damping);
        double r = Math.sqrt(damping);
        Matrix out = new Matrix(k.count(), k.count());
        for (int l = 0; l < samples.layers(); l++) {
            Matrix xk = k.inputs()[l];
            Matrix dk = k.errors()[l];
            Matrix a = MatOps.gemm(1, xk, true, lambdaSolver[l].solve(r * pi[l], xk), false, 0, null);
            Matrix b = MatOps.gemm(1, dk, true, lambdaTildeSolver[l].solve(r / pi[l], dk), false, 0, null);
            MatOps.axpy(1, MatOps.hadamard(a, b, a), out);
        }
        return MatOps.symmetrizeInPlace(out);
    }

    @Override
    public Matrix toDense() {
        DenseCurvature.requireDenseSize("KroneckerFactored.toDense", size());
        Matrix f = new Matrix(size(), size());
        for (int l = 0; l < samples.layers(); l++) {
            place(f, MatOps.kron(lambda(l), lambdaTilde(l)), samples.offset(l));
        }
        return f;
    }

    static void place(Matrix f, Matrix block, int o) {
        for (int j = 0; j < block.cols(); j++) {
            for (int i = 0; i < block.rows(); i++) {
                f.set(o + i, o + j, block.get(i, j));
            }
        }
    }

    @Override
    public double trace() {
        double t = 0;
        for (int l = 0; l < samples.layers(); l++) {
            Matrix x = samples.inputs()[l];
            t += square(x) / x.cols() * square(samples.errors()[l]);
        }
        return t;
    }

    @Override
    public long bytes() {
        long b = DenseCurvature.sampleBytes(samples);
        for (int l = 0; l < samples.layers(); l++) {
            b += lambdaSolver[l].bytes() + lambdaTildeSolver[l].bytes();
        }
        return b;
    }
}
