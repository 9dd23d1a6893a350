package org.natgrad.likelihood;

import org.natgrad.linalg.Cholesky;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/**
 * Gaussian output model q(y|f) = N(y; f, Σ̃) with a fixed covariance Σ̃: either a scalar
 * variance (Σ̃ = σ² I, any n_L) or a full symmetric positive-definite n_L x n_L matrix.
 * The loss is ½ (y − f)^T Σ̃^{-1} (y − f), averaged over columns: the negative log-likelihood
 * without its constant ½ log det(2πΣ̃). With σ² = 1 it is the squared loss ½‖y − f‖².
 */
public final class Gaussian implements Likelihood {
    private final double variance;       // > 0 if scalar, NaN if full
    private final Matrix covariance;     // null if scalar
    private final Matrix precision;      // Σ̃^{-1}, null if scalar
    private final Matrix covFactor;      // lower Cholesky factor of Σ̃, null if scalar
    private final Matrix precisionFactor; // lower Cholesky factor of Σ̃^{-1}, null if scalar

    private Gaussian(double variance, Matrix covariance) {
        this.variance = variance;
        this.covariance = covariance;
        if (covariance != null) {
            Cholesky c = Cholesky.decompose(covariance).orElseThrow(() ->
                    new IllegalArgumentException("Gaussian: covariance is not symmetric positive definite"));
            this.covFactor = c.lower();
            this.precision = MatOps.symmetrizeInPlace(c.inverse());
            this.precisionFactor = Cholesky.decompose(precision).orElseThrow(() ->
                    new IllegalArgumentException("Gaussian: covariance is too ill-conditioned to invert")).lower();
        } else {
            this.covFactor = null;
            this.precision = null;
            this.precisionFactor = null;
        }
    }

    /** Σ̃ = I. */
    public static Gaussian unit() {
        return new Gaussian(1.0, null);
    }

    /** Σ̃ = variance · I. */
    public static Gaussian isotropic(double variance) {
        if (!(variance > 0) || Double.isInfinite(variance)) {
            throw new IllegalArgumentException("Gaussian: variance must be finite and > 0, got " + variance);
        }
        return new Gaussian(variance, null);
    }

    /** A full covariance Σ̃ (n_L x n_L, symmetric positive definite; copied). */
    public static Gaussian withCovariance(Matrix covariance) {
        if (!covariance.isSquare()) {
            throw new IllegalArgumentException("Gaussian: covariance must be square, got " + covariance.shape());
        }
        if (covariance.isFinite() && !org.natgrad.linalg.Inverses.isSymmetric(covariance, 1e-12)) {
            throw new IllegalArgumentException("Gaussian: covariance " + covariance.shape() + " is not symmetric");
        }
        return new Gaussian(Double.NaN, covariance.copy());
    }

    /** True for Σ̃ = σ² I. */
    public boolean isIsotropic() {
        return covariance == null;
    }

    /** σ² for an isotropic model (NaN for a full covariance). */
    public double variance() {
        return variance;
    }

    /** Σ̃ as an n x n matrix. */
    public Matrix covariance(int n) {
        return covariance != null ? covariance.copy() : MatOps.scaleInPlace(variance, Matrix.identity(n));
    }

    /** Σ̃^{-1} as an n x n matrix. */
    public Matrix precision(int n) {
        return precision != null ? precision.copy() : MatOps.scaleInPlace(1 / variance, Matrix.identity(n));
    }

    private void requireDim(int n) {
        if (covariance != null && covariance.rows() != n) {
            throw new IllegalArgumentException("Gaussian: covariance is " + covariance.shape() + " but the output has "
                    + n + " rows");
        }
    }

    @Override
    public double loss(Matrix output, Matrix target) {
        Likelihood.requireSameShape("Gaussian.loss", output, target);
        requireDim(output.rows());
        Matrix r = MatOps.subtract(target, output, null);
        double s;
        if (covariance == null) {
            s = MatOps.dot(r, r) / variance;
        } else {
            s = MatOps.dot(r, MatOps.multiply(precision, r));
        }
        return 0.5 * s / output.cols();
    }

    @Override
    public Matrix outputError(Matrix output, Matrix target) {
        Likelihood.requireSameShape("Gaussian.outputError", output, target);
        requireDim(output.rows());
        Matrix r = MatOps.subtract(output, target, null);
        return covariance == null ? MatOps.scaleInPlace(1 / variance, r) : MatOps.multiply(precision, r);
    }

    /**
     * With a scalar variance σ², y − f = σ z for the standard normal z that {@link #sample} draws,
     * so the error (f − y)/σ² is −z/σ: one pass instead of three.
     */
    @Override
    public Matrix sampledOutputError(Matrix output, Rng rng) {
        if (covariance != null) {
            return Likelihood.super.sampledOutputError(output, rng);
        }
        requireDim(output.rows());
        Matrix z = new Matrix(output.rows(), output.cols());
        rng.fillGaussian(z.data());
        return MatOps.scaleInPlace(-1 / Math.sqrt(variance), z);
    }

    @Override
    public Matrix sample(Matrix output, Rng rng) {
        requireDim(output.rows());
        Matrix z = new Matrix(output.rows(), output.cols());
        rng.fillGaussian(z.data());
        if (covariance == null) {
            MatOps.scaleInPlace(Math.sqrt(variance), z);
        } else {
            z = MatOps.multiply(covFactor, z);
        }
        return MatOps.add(output, z, z);
    }

    @Override
    public Matrix outputFisher(Matrix output, int column) {
        requireDim(output.rows());
        return precision(output.rows());
    }

    @Override
    public Matrix outputFisherFactor(Matrix output, int column) {
        requireDim(output.rows());
        int n = output.rows();
        return precisionFactor != null ? precisionFactor.copy()
                : MatOps.scaleInPlace(1 / Math.sqrt(variance), Matrix.identity(n));
    }

    @Override
    public void validateTargets(Matrix output, Matrix target) {
        Likelihood.requireSameShape("Gaussian targets", output, target);
        requireDim(output.rows());
        int k = target.firstNonFinite();
        if (k >= 0) {
            throw new IllegalArgumentException("Gaussian targets: non-finite value at row " + (k % target.rows())
                    + ", column " + (k / target.rows()));
        }
    }

    @Override
    public String label() {
        return "gaussian";
    }

    @Override
    public String toString() {
        return covariance == null ? "Gaussian(variance=" + variance + ")" : "Gaussian(covariance " + covariance.shape() + ")";
    }
}
