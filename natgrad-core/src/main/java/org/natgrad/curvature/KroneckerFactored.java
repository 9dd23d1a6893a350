package org.natgrad.curvature;

import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.PsdSolver;
import org.natgrad.nn.ParamVector;
import org.natgrad.linalg.PsdSolver;
import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.statistics.LayerStatistics;

/**
 * The Kronecker-factored curvature: each diagonal block F_ll ≈ Λ_l ⊗ Λ̃_l with Λ_l = (1/M) Σ_m x̄_m x̄_m^T
 * (d_l x d_l, the input second moment, bias row included) and Λ̃_l = Σ_k δ_k δ_k^T (n_l x n_l,
 * the scaled errors), zero off the diagonal blocks (math.md §4.4). In the block's matrix form
 * (Λ_l ⊗ Λ̃_l) vec V = vec(Λ̃_l V Λ_l). One class carries both damping rules, which are the only
 * difference between the two Kronecker choices:
 * <ul>
 *   <li>{@link CurvatureChoice#KFAC}: π-factored damping (Martens and Grosse 2015): solving with ρ
 *       gives (Λ̃_l + (√ρ/π_l) I)^{-1} V (Λ_l + π_l √ρ I)^{-1} with
 *       π_l = √((tr Λ_l / d_l) / (tr Λ̃_l / n_l)) (π_l = 1 when a trace is 0): the inverse of
 *       (Λ_l + π√ρ I) ⊗ (Λ̃_l + (√ρ/π) I) = Λ_l ⊗ Λ̃_l + ρ I + √ρ (π I ⊗ Λ̃_l + Λ_l ⊗ I/π), so not
 *       exactly (G + ρI)^{-1}. ρ = 0 gives Moore–Penrose pseudo-inverses of both factors, which is
 *       the pseudo-inverse of Λ ⊗ Λ̃. Its factors are eigendecomposed once per update, so any ρ is
 *       cheap.</li>
 *   <li>{@link CurvatureChoice#EQ20}: the paper's rule, math.md Eq. 20: √ρ on each factor,
 *       D_l = (Λ̃_l + √ρ I)^{-1} V (Λ_l + √ρ I)^{-1}, or Moore–Penrose inverses and no damping with
 *       {@link FactorSolverOptions#pseudoInverse()}; the factors are inverted as the options say
 *       ({@link PsdSolver}: strategy, single or double precision), prepared on first use and
 *       re-prepared only when the shift changes where the strategy needs it. It also accepts
 *       statistics in factor form (minibatch moments, moving averages).</li>
 * </ul>
 *
 * <p>It equals the exact block where theory says so: for a deep linear network with a Gaussian
 * output the errors do not depend on the input (Eq. 22), and with a single example the sum over k
 * factorizes; see the tests.
 *
 * <p>Mixed representation: a layer with {@link org.natgrad.nn.StatisticsForm.Diagonal} statistics
 * (Affine, LayerNorm) has no Kronecker structure; its statistics are its per-example gradients
 * against a unit input ({@code CurvatureStatistics.layerSamples}) and its block is the diagonal
 * diag F_l (P_l entries, F_jj = Σ_k g_kj²), solved as (diag F_l + ρ I)^{-1} under both rules: the
 * full damping ρ, not √ρ per factor, since the block has no factors to split it over (with
 * {@link FactorSolverOptions#pseudoInverse()} entries at or below the relative cut-off are
 * dropped, as {@link DiagonalFisher} does). {@link #fallbackLayers()} lists these layers.
 */
public final class KroneckerFactored extends AbstractCurvature {
    static final String LAMBDA = "Kronecker factor Lambda (inputs)";
    static final String LAMBDA_TILDE = "Kronecker factor LambdaTilde (model-sampled errors)";

    private final FactorSolverOptions solver;
    private final long sketchBase;
    private final double[] pi;
    /** Per layer, the solvers of Λ and Λ̃: eigendecompositions built at once (K-FAC), or prepared on first use (Eq. 20). */
    private final PsdSolver[] lambdaSolver;
    private final PsdSolver[] lambdaTildeSolver;
    /** Per layer, diag F_l of a diagonal-fallback layer (flat order), or null for a Kronecker block. */
    private final double[][] fallback;

    /**
     * K-FAC (π-split damping) from samples, or from factors (e.g. summed over partitions): Λ_l and
     * Λ̃_l eigendecomposed directly, π_l from their traces as from the samples' norms.
     */
    KroneckerFactored(CurvatureStatistics samples, ParamVector template) {
        super(CurvatureChoice.KFAC, samples, template);
        this.solver = null;
        this.sketchBase = 0;
        int layers = samples.layers();
        this.lambdaSolver = new PsdSolver[layers];
        this.lambdaTildeSolver = new PsdSolver[layers];
        this.pi = new double[layers];
        this.fallback = fallbackDiagonals(samples, template);
        for (int l = 0; l < layers; l++) {
            if (samples.layerSize(l) == 0 || fallback[l] != null) { // pooling: no block; diagonal fallback: no factors
                pi[l] = 1;
                continue;
            }
            if (samples.layer(l) instanceof LayerStatistics.Factors f) {
                lambdaSolver[l] = PsdSolver.eigen(f.lambda(), "K-FAC factor Lambda of layer " + (l + 1));
                lambdaTildeSolver[l] = PsdSolver.eigen(f.lambdaTilde(), "K-FAC factor LambdaTilde of layer " + (l + 1));
                double ta = diagonalSum(f.lambda()) / f.inputSize();
                double tb = diagonalSum(f.lambdaTilde()) / f.outputSize();
                pi[l] = ta > 0 && tb > 0 && Double.isFinite(ta / tb) ? Math.sqrt(ta / tb) : 1;
                continue;
            }
            double k = samples.samples(l).count();
            Matrix ya = MatOps.scale(1 / Math.sqrt(k), samples.inputs()[l], null);
            lambdaSolver[l] = PsdSolver.eigenOfSamples(ya, "K-FAC factor Lambda of layer " + (l + 1));
            lambdaTildeSolver[l] = PsdSolver.eigenOfSamples(samples.errors()[l],
                    "K-FAC factor LambdaTilde of layer " + (l + 1));
            double ta = square(ya) / ya.rows();
            double tb = square(samples.errors()[l]) / samples.errors()[l].rows();
            pi[l] = ta > 0 && tb > 0 && Double.isFinite(ta / tb) ? Math.sqrt(ta / tb) : 1;
        }
    }

    /**
     * The paper's Eq. 20 rule from samples or factors, inverting the factors as {@code solver}
     * says; {@code sketchBase} seeds the randomized strategy's sketches (one stream per layer and
     * factor).
     */
    KroneckerFactored(CurvatureStatistics statistics, ParamVector template, FactorSolverOptions solver, long sketchBase) {
        super(CurvatureChoice.EQ20, statistics, template);
        this.solver = solver;
        this.sketchBase = sketchBase;
        this.pi = null;
        this.lambdaSolver = new PsdSolver[statistics.layers()];
        this.lambdaTildeSolver = new PsdSolver[statistics.layers()];
        this.fallback = fallbackDiagonals(statistics, template);
    }

    /**
     * diag F_l = diag(Λ̃_l) Λ_l[0,0] for each diagonal-fallback layer, null elsewhere. Such a layer is
     * recognized by its statistics' shape: a unit input (d = 1) and n = P_l per-example gradient
     * rows, where the template's block is P_l/2 x 2 ([γ, β]); a Kronecker block always has the
     * template's n_l rows.
     */
    private static double[][] fallbackDiagonals(CurvatureStatistics s, ParamVector template) {
        double[][] out = new double[s.layers()][];
        for (int l = 0; l < s.layers(); l++) {
            LayerStatistics st = s.layer(l);
            if (st.inputSize() != 1 || s.layerSize(l) == 0 || template.weights(l).rows() == st.outputSize()) {
                continue;
            }
            double a = st instanceof LayerStatistics.Samples x ? 1.0 : st.lambda().get(0, 0);
            double[] d = st instanceof LayerStatistics.Samples x
                    ? squaredRowSums(x.doubleErrors()) : diagonalOf(st.lambdaTilde());
            for (int j = 0; j < d.length; j++) {
                d[j] *= a;
            }
            out[l] = d;
        }
        return out;
    }

    private static double[] squaredRowSums(Matrix e) {
        double[] d = new double[e.rows()];
        double[] ed = e.data();
        for (int q = 0; q < ed.length; q++) {
            d[q % d.length] += ed[q] * ed[q];
        }
        return d;
    }

    private static double[] diagonalOf(Matrix a) {
        double[] d = new double[a.rows()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i, i);
        }
        return d;
    }

    /**
     * The layers (0-based) whose block is the diagonal fallback rather than a Kronecker product:
     * the {@link org.natgrad.nn.StatisticsForm.Diagonal} layers (Affine, LayerNorm), in order.
     */
    public java.util.List<Integer> fallbackLayers() {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (int l = 0; l < fallback.length; l++) {
            if (fallback[l] != null) {
                out.add(l);
            }
        }
        return java.util.List.copyOf(out);
    }

    /** One line per fallback layer, e.g. "layer 3: diagonal (4 parameters)" (1-based); empty when none. */
    public String describeFallback() {
        StringBuilder b = new StringBuilder();
        for (int l : fallbackLayers()) {
            b.append(b.length() == 0 ? "" : "\n").append("layer ").append(l + 1).append(": diagonal (")
                    .append(fallback[l].length).append(" parameters)");
        }
        return b.toString();
    }

    /** V (any shape, flat order) divided entry by entry by diag F_l + ρ (pseudo-inverse with ρ = 0 under Eq. 20's option). */
    private Matrix solveFallback(int l, Matrix v, double damping) {
        double[] d = fallback[l];
        boolean pinv = choice == CurvatureChoice.EQ20 && solver.pseudoInverse();
        double cut = PsdSolver.cutoff(d);
        Matrix out = new Matrix(v.rows(), v.cols());
        double[] vd = v.data();
        double[] od = out.data();
        for (int i = 0; i < od.length; i++) {
            od[i] = pinv ? (d[i] > cut ? vd[i] / d[i] : 0) : vd[i] / (d[i] + damping);
        }
        return out;
    }

    private static double diagonalSum(Matrix a) {
        double t = 0;
        for (int i = 0; i < a.rows(); i++) {
            t += a.get(i, i);
        }
        return t;
    }

    private static double square(Matrix a) {
        double f = a.frobeniusNorm();
        return f * f;
    }

    /** Λ_l, d_l x d_l. */
    public Matrix lambda(int l) {
        if (choice == CurvatureChoice.EQ20) {
            return samples.lambda(l);
        }
        Matrix x = samples.inputs()[l];
        return MatOps.syrk(1.0 / x.cols(), x, false, 0, null);
    }

    /** Λ̃_l, n_l x n_l. */
    public Matrix lambdaTilde(int l) {
        return samples.lambdaTilde(l);
    }

    /** π_l of the π-factored damping (1 for the Eq. 20 rule). */
    public double pi(int l) {
        return pi == null ? 1 : pi[l];
    }

    @Override
    public double[] multiply(double[] v) {
        check(v);
        double[] out = new double[v.length];
        for (int l = 0; l < samples.layers(); l++) {
            if (samples.layerSize(l) == 0) {
                continue;
            }
            Matrix b;
            if (fallback[l] != null) {
                double[] d = fallback[l];
                int o = samples.offset(l);
                for (int i = 0; i < d.length; i++) {
                    out[o + i] = d[i] * v[o + i];
                }
                continue;
            } else if (samples.layer(l) instanceof LayerStatistics.Factors f) {
                b = MatOps.multiply(MatOps.multiply(f.lambdaTilde(), samples.block(v, l)), f.lambda());
            } else {
                Matrix x = samples.inputs()[l];
                Matrix d = samples.errors()[l];
                Matrix dv = MatOps.gemm(1, d, true, samples.block(v, l), false, 0, null);
                Matrix dvx = MatOps.multiply(dv, x);
                b = MatOps.gemm(1.0 / x.cols(), MatOps.multiply(d, dvx), false, x, true, 0, null);
            }
            System.arraycopy(b.data(), 0, out, samples.offset(l), b.size());
        }
        return out;
    }

    @Override
    public double[] solve(double[] g, double damping) {
        check(g);
        if (choice == CurvatureChoice.KFAC || !solver.pseudoInverse()) {
            DenseCurvature.requireDamping(damping);
        }
        double[] out = new double[g.length];
        for (int l = 0; l < samples.layers(); l++) {
            Matrix b = solveBlock(l, samples.block(g, l), damping);
            System.arraycopy(b.data(), 0, out, samples.offset(l), b.size());
        }
        return out;
    }

    /** Block by block on the augmented blocks, without the flat round trip of the default (one copy of g's blocks). */
    @Override
    public ParamVector solve(ParamVector g, double damping) {
        check(g);
        if (choice == CurvatureChoice.KFAC || !solver.pseudoInverse()) {
            DenseCurvature.requireDamping(damping);
        }
        ParamVector out = ParamVector.zerosLike(template);
        for (int l = 0; l < samples.layers(); l++) {
            out.setAugmentedBlock(l, solveBlock(l, g.augmentedBlock(l), damping));
        }
        return out;
    }

    private double shift(double damping) {
        return solver.pseudoInverse() ? 0 : Math.sqrt(damping);
    }

    private static ArithmeticException failed(String which, int l, ArithmeticException e) {
        return new ArithmeticException("factorization of " + which + " of layer " + (l + 1) + " failed: " + e.getMessage());
    }

    /**
     * Layer l's block V (n_l x d_l) solved: (Λ̃ + (√ρ/π) I)^{-1} V (Λ + π√ρ I)^{-1} for K-FAC,
     * (Λ̃ + √ρ I)^{-1} V (Λ + √ρ I)^{-1} for the Eq. 20 rule.
     */
    public Matrix solveBlock(int l, Matrix v, double damping) {
        if (v.size() == 0) { // a parameter-free layer's empty block
            return v;
        }
        if (fallback[l] != null) {
            return solveFallback(l, v, damping);
        }
        if (choice == CurvatureChoice.EQ20) {
            double shift = shift(damping);
            String which = LAMBDA_TILDE;
            try {
                Matrix half = inverse(lambdaTildeSolver, l).solve(shift, v);
                which = LAMBDA;
                return inverse(lambdaSolver, l).solveRight(shift, half);
            } catch (ArithmeticException e) {
                throw failed(which, l, e);
            }
        }
        double r = Math.sqrt(damping);
        return lambdaSolver[l].solveRight(r * pi[l], lambdaTildeSolver[l].solve(r / pi[l], v));
    }

    /**
     * The solver of layer l's Λ ({@code slots} = {@link #lambdaSolver}) or Λ̃, prepared on first
     * use: from the samples U = X̄/√M and E (single precision when the errors are), or from the
     * factors themselves.
     */
    private PsdSolver inverse(PsdSolver[] slots, int l) {
        if (slots[l] == null) {
            boolean inputs = slots == lambdaSolver;
            long seed = sketchBase ^ (l * 0xBF58476D1CE4E5B9L) ^ (inputs ? 1 : 2);
            LayerStatistics s = samples.layer(l);
            if (s instanceof LayerStatistics.Factors f) {
                slots[l] = PsdSolver.ofGram(inputs ? f.lambda() : f.lambdaTilde(), solver.inverse(),
                        solver.pseudoInverse(), seed, solver.precision());
            } else {
                LayerStatistics.Samples x = (LayerStatistics.Samples) s;
                boolean single = x.errors32() != null;
                slots[l] = single
                        ? PsdSolver.of(inputs ? x.inputSamplesSingle() : x.errors32(), solver.inverse(),
                                solver.pseudoInverse(), seed, solver.precision())
                        : PsdSolver.of(inputs ? x.inputSamples() : x.errors(), solver.inverse(),
                                solver.pseudoInverse(), seed, solver.precision());
            }
        }
        return slots[l];
    }

    /** Σ_l (X̄_k^T Λ_l^{-1} X̄_k) ∘ (D_k^T Λ̃_l^{-1} D_k): each sample's block is rank one (K-FAC). */
    @Override
    public Matrix kernel(CurvatureStatistics k, double damping) {
        if (choice == CurvatureChoice.EQ20 || !fallbackLayers().isEmpty()) {
            return kernelBySolves(k, damping);
        }
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
        return blockDiagonalDense("KroneckerFactored.toDense", l -> fallback[l] != null
                ? Matrix.diagonal(fallback[l]) : MatOps.kron(lambda(l), lambdaTilde(l)));
    }

    /** diag(Λ_l) ⊗ diag(Λ̃_l) per layer, in the flat order. */
    @Override
    public double[] diagonal() {
        double[] out = new double[size()];
        for (int l = 0; l < samples.layers(); l++) {
            Matrix a = lambda(l);
            Matrix b = lambdaTilde(l);
            int o = samples.offset(l);
            for (int j = 0; j < a.rows(); j++) {
                for (int i = 0; i < b.rows(); i++) {
                    out[o++] = a.get(j, j) * b.get(i, i);
                }
            }
        }
        return out;
    }

    @Override
    public double trace() {
        double t = 0;
        for (int l = 0; l < samples.layers(); l++) {
            if (samples.layer(l) instanceof LayerStatistics.Factors f) {
                t += diagonalSum(f.lambda()) * diagonalSum(f.lambdaTilde());
            } else {
                Matrix x = samples.inputs()[l];
                t += square(x) / x.cols() * square(samples.errors()[l]);
            }
        }
        return t;
    }

    @Override
    public long bytes() {
        long b = samples.bytes();
        for (int l = 0; l < samples.layers(); l++) {
            b += (lambdaSolver[l] == null ? 0 : lambdaSolver[l].bytes())
                    + (lambdaTildeSolver[l] == null ? 0 : lambdaTildeSolver[l].bytes());
        }
        return b;
    }
}
