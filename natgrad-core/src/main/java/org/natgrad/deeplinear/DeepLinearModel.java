package org.natgrad.deeplinear;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Dense;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;

/**
 * A deep linear network x_L = W_L ... W_1 x (identity activations, no biases) together with the
 * population statistics that make every quantity of math.md §2.4–2.7 a closed form:
 *
 * <ul>
 *   <li>weights W_i, i = 1..L, of shape n_i x n_{i-1};</li>
 *   <li>the input covariance Σ = ⟨x x^T⟩ (n_0 x n_0, symmetric positive definite; inputs have mean 0);</li>
 *   <li>the model's output covariance Σ̃ of q(y|x) = N(y; x_L, Σ̃) (n_L x n_L, symmetric positive definite);</li>
 *   <li>the target map W* = ⟨y x^T⟩ Σ^{-1} (n_L x n_0), the least-squares solution (Eq. 18).</li>
 * </ul>
 *
 * <p><b>Layer indices are 1-based, as in the paper</b>: {@code weight(1)} is W_1, the first layer
 * ({@link Network#layer(int) Network.layer(0)}). {@code A(i)} = W_L ... W_{i+1} (n_L x n_i, A_L = I)
 * and {@code B(i)} = W_{i-1} ... W_1 (n_{i-1} x n_0, B_1 = I), so that W = A_i W_i B_i (Eq. 9).
 * Lists of per-layer matrices (weights, gradients, updates) are 0-based Java lists whose element
 * {@code i-1} belongs to layer i. The flat parameter order is natgrad's {@link ParamVector} order:
 * layer by layer, each vec(W_i) column-major.
 *
 * <p>Losses are population expectations of ½ (y − x_L)^T Σ̃^{-1} (y − x_L); {@link #excessLoss()}
 * is the part above the minimum. Gradients are ∂L/∂W_i of this mean loss (math.md Eq. 13).
 *
 * <p>Instances are immutable: getters return copies and {@link #withWeights(List)} makes a new model.
 */
public final class DeepLinearModel {

    private final List<Matrix> weights;   // W_1..W_L at indices 0..L-1
    private final Matrix sigma;           // Σ
    private final Matrix outputCov;       // Σ̃
    private final Matrix outputPrec;      // Σ̃^{-1}
    private final Matrix target;          // W*
    private final Matrix[] a;             // A_i at index i-1
    private final Matrix[] b;             // B_i at index i-1
    private final Matrix total;           // W
    private volatile Matrix residual;     // C = (W* − W) Σ, computed on first use

    private DeepLinearModel(List<Matrix> weights, Matrix sigma, Matrix outputCov, Matrix outputPrec, Matrix target) {
        this.weights = weights;
        this.sigma = sigma;
        this.outputCov = outputCov;
        this.outputPrec = outputPrec;
        this.target = target;
        int l = weights.size();
        this.b = new Matrix[l];
        this.a = new Matrix[l];
        b[0] = Matrix.identity(weights.get(0).cols());
        for (int i = 1; i < l; i++) {
            b[i] = Lin.mul(weights.get(i - 1), b[i - 1]);
        }
        a[l - 1] = Matrix.identity(weights.get(l - 1).rows());
        for (int i = l - 2; i >= 0; i--) {
            a[i] = Lin.mul(a[i + 1], weights.get(i + 1));
        }
        this.total = Lin.mul(weights.get(l - 1), b[l - 1]);
    }

    /**
     * A model from explicit weights and statistics (all copied).
     *
     * @param weights    W_1..W_L, W_i of shape n_i x n_{i-1}, consecutive shapes matching
     * @param sigma      Σ = ⟨x x^T⟩, n_0 x n_0, symmetric positive definite
     * @param outputCov  Σ̃, n_L x n_L, symmetric positive definite
     * @param target     W* = ⟨y x^T⟩ Σ^{-1}, n_L x n_0
     * @throws IllegalArgumentException naming the first shape or definiteness problem
     */
    public static DeepLinearModel of(List<Matrix> weights, Matrix sigma, Matrix outputCov, Matrix target) {
        List<Matrix> ws = checkWeights(weights);
        int n0 = ws.get(0).cols();
        int nl = ws.get(ws.size() - 1).rows();
        Lin.requireSpd("DeepLinearModel: input covariance Σ", sigma, n0);
        Lin.requireSpd("DeepLinearModel: output covariance Σ̃", outputCov, nl);
        if (target.rows() != nl || target.cols() != n0) {
            throw new IllegalArgumentException("DeepLinearModel: target map W* must be " + nl + "x" + n0
                    + " (n_L x n_0), got " + target.shape());
        }
        Inverses.requireFinite("DeepLinearModel: target map W*", target);
        Matrix prec = MatOps.symmetrizeInPlace(Lin.spdInverse(outputCov, 1e-14, "DeepLinearModel: output covariance Σ̃"));
        return new DeepLinearModel(ws, MatOps.symmetrizeInPlace(sigma.copy()), MatOps.symmetrizeInPlace(outputCov.copy()),
                prec, target.copy());
    }

    /**
     * A model from the cross-covariance ⟨y x^T⟩ (n_L x n_0) instead of W*: W* = ⟨y x^T⟩ Σ^{-1}.
     */
    public static DeepLinearModel fromCrossCovariance(List<Matrix> weights, Matrix sigma, Matrix outputCov,
                                                      Matrix crossCovariance) {
        List<Matrix> ws = checkWeights(weights);
        int n0 = ws.get(0).cols();
        Lin.requireSpd("DeepLinearModel: input covariance Σ", sigma, n0);
        Matrix sigmaInv = Lin.spdInverse(sigma, 1e-14, "DeepLinearModel: input covariance Σ");
        if (crossCovariance.cols() != n0) {
            throw new IllegalArgumentException("DeepLinearModel: cross-covariance ⟨y x^T⟩ must have " + n0
                    + " columns (n_0), got " + crossCovariance.shape());
        }
        return of(ws, sigma, outputCov, Lin.mul(crossCovariance, sigmaInv));
    }

    /**
     * A model whose weights are copied from a natgrad network, which must have identity activations
     * and no biases; Σ̃ is taken from the Gaussian likelihood.
     */
    public static DeepLinearModel fromNetwork(Network net, Matrix sigma, Gaussian likelihood, Matrix target) {
        if (!net.isLinear() || !net.isBiasFree()) {
            throw new IllegalArgumentException("DeepLinearModel.fromNetwork: the network must be linear and bias-free, got "
                    + net + (net.isBiasFree() ? "" : " with biases"));
        }
        List<Matrix> ws = new ArrayList<>();
        for (Dense d : net.denseLayers()) {
            ws.add(d.weights());
        }
        return of(ws, sigma, likelihood.covariance(net.outputSize()), target);
    }

    /**
     * The teacher-student set-up of math.md §2.8: the student's weights with W* = the teacher's
     * end-to-end map W_T = W^T_L ... W^T_1 (targets y = W_T x + noise, noise independent of x). Both
     * networks must be linear with the same input and output widths; biases are allowed only if they
     * are exactly zero (as at the start of the paper's runs), because this population model has none.
     *
     * @param sigma     Σ, n_0 x n_0
     * @param outputCov Σ̃, n_L x n_L (the paper uses I)
     */
    public static DeepLinearModel teacherStudent(Network student, Network teacher, Matrix sigma, Matrix outputCov) {
        requireLinearZeroBias("student", student);
        requireLinearZeroBias("teacher", teacher);
        if (student.inputSize() != teacher.inputSize() || student.outputSize() != teacher.outputSize()) {
            throw new IllegalArgumentException("DeepLinearModel.teacherStudent: student " + student.widths()
                    + " and teacher " + teacher.widths() + " must have the same input and output widths");
        }
        Matrix wt = teacher.layer(0).weights().copy();
        for (int i = 1; i < teacher.depth(); i++) {
            wt = Lin.mul(teacher.layer(i).weights(), wt);
        }
        List<Matrix> ws = new ArrayList<>();
        for (Dense d : student.denseLayers()) {
            ws.add(d.weights());
        }
        return of(ws, sigma, outputCov, wt);
    }

    private static void requireLinearZeroBias(String who, Network net) {
        if (!net.isLinear()) {
            throw new IllegalArgumentException("DeepLinearModel.teacherStudent: the " + who + " must be linear, got " + net);
        }
        for (int i = 0; i < net.depth(); i++) {
            Matrix b = net.layer(i).bias();
            if (b != null && b.maxAbs() != 0) {
                throw new IllegalArgumentException("DeepLinearModel.teacherStudent: the " + who + "'s layer " + (i + 1)
                        + " has a non-zero bias (max |b| = " + b.maxAbs() + "); the population model has no biases");
            }
        }
    }

    private static List<Matrix> checkWeights(List<Matrix> weights) {
        if (weights == null || weights.isEmpty()) {
            throw new IllegalArgumentException("DeepLinearModel: need at least one weight matrix");
        }
        List<Matrix> ws = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            Matrix w = weights.get(i);
            if (w.rows() == 0 || w.cols() == 0) {
                throw new IllegalArgumentException("DeepLinearModel: W_" + (i + 1) + " has empty shape " + w.shape());
            }
            if (i > 0 && w.cols() != weights.get(i - 1).rows()) {
                throw new IllegalArgumentException("DeepLinearModel: W_" + (i + 1) + " is " + w.shape() + " but W_" + i
                        + " is " + weights.get(i - 1).shape() + " (W_i must be n_i x n_{i-1})");
            }
            Inverses.requireFinite("DeepLinearModel: W_" + (i + 1), w);
            ws.add(w.copy());
        }
        return List.copyOf(ws);
    }

    /** The same statistics with new weights (same shapes, copied). */
    public DeepLinearModel withWeights(List<Matrix> newWeights) {
        List<Matrix> ws = checkWeights(newWeights);
        if (ws.size() != weights.size()) {
            throw new IllegalArgumentException("DeepLinearModel.withWeights: got " + ws.size() + " layers, expected "
                    + weights.size());
        }
        for (int i = 0; i < ws.size(); i++) {
            if (ws.get(i).rows() != weights.get(i).rows() || ws.get(i).cols() != weights.get(i).cols()) {
                throw new IllegalArgumentException("DeepLinearModel.withWeights: W_" + (i + 1) + " is " + ws.get(i).shape()
                        + ", expected " + weights.get(i).shape());
            }
        }
        return new DeepLinearModel(ws, sigma, outputCov, outputPrec, target);
    }

    /** The same weights, Σ and W*, with output covariance Σ̃ replaced. */
    public DeepLinearModel withOutputCovariance(Matrix newOutputCov) {
        return of(weights, sigma, newOutputCov, target);
    }

    /** The same weights, Σ and Σ̃, with the target map W* replaced. */
    public DeepLinearModel withTarget(Matrix newTarget) {
        return of(weights, sigma, outputCov, newTarget);
    }

    /** A natgrad network with these weights (copied), identity activations and no biases. */
    public Network toNetwork() {
        List<Dense> ls = new ArrayList<>();
        for (Matrix w : weights) {
            ls.add(new Dense(w.copy(), null, Activation.IDENTITY));
        }
        return new Network(ls);
    }

    // ------------------------------------------------------------------------------- shapes

    /** Depth L. */
    public int depth() {
        return weights.size();
    }

    /** Width n_k for k = 0..L. */
    public int width(int k) {
        if (k < 0 || k > depth()) {
            throw new IndexOutOfBoundsException("width index k must be in 0.." + depth() + ", got " + k);
        }
        return k == 0 ? weights.get(0).cols() : weights.get(k - 1).rows();
    }

    /** Widths n_0..n_L. */
    public int[] widths() {
        int[] w = new int[depth() + 1];
        for (int k = 0; k <= depth(); k++) {
            w[k] = width(k);
        }
        return w;
    }

    /** Number of parameters P = Σ_i n_i n_{i-1}. */
    public int parameterCount() {
        int p = 0;
        for (Matrix w : weights) {
            p += w.size();
        }
        return p;
    }

    /** Offset of vec(W_i) (i 1-based) in the flat parameter vector. */
    public int offset(int i) {
        checkLayer(i);
        int o = 0;
        for (int k = 0; k < i - 1; k++) {
            o += weights.get(k).size();
        }
        return o;
    }

    /** True if all widths n_0..n_L are equal. */
    public boolean isSquare() {
        int[] w = widths();
        for (int k : w) {
            if (k != w[0]) {
                return false;
            }
        }
        return true;
    }

    void checkLayer(int i) {
        if (i < 1 || i > depth()) {
            throw new IndexOutOfBoundsException("layer index i is 1-based (the paper's W_1..W_L): must be in 1.."
                    + depth() + ", got " + i);
        }
    }

    // ------------------------------------------------------------------------------- parameters

    /** W_i (i = 1..L), a copy. */
    public Matrix weight(int i) {
        checkLayer(i);
        return weights.get(i - 1).copy();
    }

    /** W_1..W_L (copies; element i-1 is W_i). */
    public List<Matrix> weights() {
        return weights.stream().map(Matrix::copy).toList();
    }

    Matrix weightRef(int i) {
        return weights.get(i - 1);
    }

    /** Σ = ⟨x x^T⟩ (copy). */
    public Matrix sigma() {
        return sigma.copy();
    }

    /** Σ̃, the model's output covariance (copy). */
    public Matrix outputCovariance() {
        return outputCov.copy();
    }

    /** Σ̃^{-1} (copy). */
    public Matrix outputPrecision() {
        return outputPrec.copy();
    }

    Matrix sigmaRef() {
        return sigma;
    }

    Matrix outputPrecisionRef() {
        return outputPrec;
    }

    /** W* = ⟨y x^T⟩ Σ^{-1} (copy). */
    public Matrix target() {
        return target.copy();
    }

    /** ⟨y x^T⟩ = W* Σ, n_L x n_0. */
    public Matrix crossCovariance() {
        return Lin.mul(target, sigma);
    }

    // ------------------------------------------------------------------------------- Eqs. 9, 11-15

    /** A_i = W_L ... W_{i+1}, n_L x n_i (A_L = I). i is 1-based. */
    public Matrix A(int i) {
        checkLayer(i);
        return a[i - 1].copy();
    }

    /** B_i = W_{i-1} ... W_1, n_{i-1} x n_0 (B_1 = I). i is 1-based. */
    public Matrix B(int i) {
        checkLayer(i);
        return b[i - 1].copy();
    }

    Matrix aRef(int i) {
        return a[i - 1];
    }

    Matrix bRef(int i) {
        return b[i - 1];
    }

    /** The end-to-end map W = W_L ... W_1 = A_i W_i B_i (Eq. 9), n_L x n_0. */
    public Matrix total() {
        return total.copy();
    }

    Matrix totalRef() {
        return total;
    }

    /** W − W*, n_L x n_0. */
    public Matrix deviation() {
        return Lin.sub(total, target);
    }

    /** The excess loss L − L* = ½ tr(Σ̃^{-1} (W − W*) Σ (W − W*)^T) ≥ 0. */
    public double excessLoss() {
        return excessLossOf(total);
    }

    /** ½ tr(Σ̃^{-1} (V − W*) Σ (V − W*)^T) for any n_L x n_0 end-to-end map V. */
    public double excessLossOf(Matrix v) {
        if (v.rows() != target.rows() || v.cols() != target.cols()) {
            throw new IllegalArgumentException("excessLossOf: map is " + v.shape() + ", expected " + target.shape());
        }
        Matrix d = Lin.sub(v, target);
        return 0.5 * MatOps.dot(Lin.mul(outputPrec, d), Lin.mul(d, sigma));
    }

    /**
     * C = ⟨(y − W x) x^T⟩ = ⟨y x^T⟩ − W Σ = (W* − W) Σ, n_L x n_0 (math.md §2.6).
     */
    public Matrix residualCrossCovariance() {
        return residualRef().copy();
    }

    private Matrix residualRef() {
        Matrix c = residual;
        if (c == null) {
            c = Lin.mul(Lin.sub(target, total), sigma);
            residual = c;
        }
        return c;
    }

    /**
     * ⟨e_i x_{i-1}^T⟩ = A_i^T Σ̃^{-1} C B_i^T (n_i x n_{i-1}), the correlation of Eq. 10; it equals
     * −∂L/∂W_i.
     */
    public Matrix errorInputCorrelation(int i) {
        checkLayer(i);
        return Lin.mul(Lin.tmul(a[i - 1], outputPrec), residualRef(), b[i - 1].transpose());
    }

    /**
     * ∂L/∂W_i = −A_i^T Σ̃^{-1} ⟨(y − x_L) x^T⟩ B_i^T (Eq. 13), n_i x n_{i-1}: the gradient of the
     * population mean loss; −gradient is the steepest-descent direction.
     */
    public Matrix gradient(int i) {
        return MatOps.scaleInPlace(-1, errorInputCorrelation(i));
    }

    /** All ∂L/∂W_i (element i-1 is layer i). */
    public List<Matrix> gradients() {
        List<Matrix> g = new ArrayList<>();
        for (int i = 1; i <= depth(); i++) {
            g.add(gradient(i));
        }
        return g;
    }

    /** Λ_i = ⟨x_{i-1} x_{i-1}^T⟩ = B_i Σ B_i^T (Eq. 15), n_{i-1} x n_{i-1}. */
    public Matrix lambda(int i) {
        checkLayer(i);
        return MatOps.symmetrizeInPlace(Lin.mul(b[i - 1], sigma, b[i - 1].transpose()));
    }

    /** Λ̃_i = ⟨e_i e_i^T⟩_{p_θ} = A_i^T Σ̃^{-1} A_i (Eq. 14), n_i x n_i. */
    public Matrix lambdaTilde(int i) {
        checkLayer(i);
        return MatOps.symmetrizeInPlace(Lin.mul(a[i - 1].transpose(), outputPrec, a[i - 1]));
    }

    /**
     * The first-order change of the end-to-end map, Σ_i A_i ΔW_i B_i (Eq. 17), for per-layer
     * changes ΔW_i (element i-1 is layer i).
     */
    public Matrix totalDerivative(List<Matrix> dW) {
        requireLayerShapes("totalDerivative", dW);
        Matrix s = new Matrix(target.rows(), target.cols());
        for (int i = 1; i <= depth(); i++) {
            MatOps.axpy(1, Lin.mul(a[i - 1], dW.get(i - 1), b[i - 1]), s);
        }
        return s;
    }

    /** Per-layer matrices (element i-1 for layer i) into the flat order: vec(M_1), vec(M_2), ... */
    public double[] flatten(List<Matrix> perLayer) {
        requireLayerShapes("flatten", perLayer);
        return MatOps.concatenate(perLayer);
    }

    /** The inverse of {@link #flatten(List)}: per-layer matrices shaped like W_1..W_L. */
    public List<Matrix> unflatten(double[] flat) {
        if (flat.length != parameterCount()) {
            throw new IllegalArgumentException("unflatten: got " + flat.length + " values, expected P = "
                    + parameterCount());
        }
        List<Matrix> out = new ArrayList<>();
        int o = 0;
        for (Matrix w : weights) {
            double[] d = new double[w.size()];
            System.arraycopy(flat, o, d, 0, d.length);
            out.add(new Matrix(w.rows(), w.cols(), d));
            o += d.length;
        }
        return out;
    }

    /** Per-layer matrices as a bias-free {@link ParamVector} (copies). */
    public ParamVector toParamVector(List<Matrix> perLayer) {
        requireLayerShapes("toParamVector", perLayer);
        Matrix[] w = perLayer.stream().map(Matrix::copy).toArray(Matrix[]::new);
        return new ParamVector(w, new Matrix[w.length]);
    }

    void requireLayerShapes(String op, List<Matrix> perLayer) {
        if (perLayer.size() != depth()) {
            throw new IllegalArgumentException(op + ": got " + perLayer.size() + " layers, expected " + depth());
        }
        for (int i = 0; i < depth(); i++) {
            Matrix m = perLayer.get(i);
            Matrix w = weights.get(i);
            if (m.rows() != w.rows() || m.cols() != w.cols()) {
                throw new IllegalArgumentException(op + ": layer " + (i + 1) + " is " + m.shape() + ", expected "
                        + w.shape() + " (like W_" + (i + 1) + ")");
            }
        }
    }

    @Override
    public String toString() {
        return "DeepLinearModel" + Arrays.toString(widths()) + ", excess loss " + excessLoss();
    }
}
