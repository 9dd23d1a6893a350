package org.natgrad.likelihood;

import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.random.Rng;

/**
 * Independent Bernoulli outputs with logits f: q(y_k = 1 | f) = σ(f_k). Targets in [0, 1].
 * Loss: Σ_k softplus(f_k) − y_k f_k (binary cross-entropy in a stable form), averaged over
 * columns; output error σ(f) − y; output Fisher diag(σ(f)(1 − σ(f))).
 */
public record Bernoulli() implements Likelihood {

    @Override
    public double loss(Matrix output, Matrix target) {
        Likelihood.requireSameShape("Bernoulli.loss", output, target);
        double[] fd = output.data();
        double[] yd = target.data();
        double total = 0;
        for (int k = 0; k < fd.length; k++) {
            total += Activation.softplus(fd[k]) - yd[k] * fd[k];
        }
        return total / output.cols();
    }

    @Override
    public Matrix outputError(Matrix output, Matrix target) {
        Likelihood.requireSameShape("Bernoulli.outputError", output, target);
        Matrix e = new Matrix(output.rows(), output.cols());
        double[] fd = output.data();
        double[] yd = target.data();
        double[] ed = e.data();
        for (int k = 0; k < fd.length; k++) {
            ed[k] = Activation.sigmoid(fd[k]) - yd[k];
        }
        return e;
    }

    @Override
    public Matrix sample(Matrix output, Rng rng) {
        Matrix y = new Matrix(output.rows(), output.cols());
        double[] fd = output.data();
        double[] yd = y.data();
        for (int k = 0; k < fd.length; k++) {
            yd[k] = rng.nextDouble() < Activation.sigmoid(fd[k]) ? 1 : 0;
        }
        return y;
    }

    /** diag(σ(f)(1 − σ(f))) for column {@code column} of the logits f. */
    @Override
    public Matrix outputFisher(Matrix output, int column) {
        return diagonal(output, column, false);
    }

    /** diag(√(σ(f)(1 − σ(f)))): the output Fisher is diagonal, so its factor is too. */
    @Override
    public Matrix outputFisherFactor(Matrix output, int column) {
        return diagonal(output, column, true);
    }

    /** n_L x n_L diagonal of the variances σ(1 − σ) of one column of logits, or of their square roots. */
    private static Matrix diagonal(Matrix output, int column, boolean sqrt) {
        int n = output.rows();
        Matrix f = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            double s = Activation.sigmoid(output.get(i, column));
            double v = s * (1 - s);
            f.set(i, i, sqrt ? Math.sqrt(v) : v);
        }
        return f;
    }

    @Override
    public void validateTargets(Matrix output, Matrix target) {
        Likelihood.requireSameShape("Bernoulli targets", output, target);
        double[] yd = target.data();
        for (int k = 0; k < yd.length; k++) {
            if (!(yd[k] >= 0 && yd[k] <= 1)) {
                throw new IllegalArgumentException("Bernoulli targets: row " + (k % target.rows()) + ", column "
                        + (k / target.rows()) + " holds " + yd[k] + ", expected a value in [0, 1]");
            }
        }
    }

    @Override
    public String label() {
        return "bernoulli";
    }
}
