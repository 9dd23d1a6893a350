package org.natgrad.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.natgrad.experiment.RunFolder;
import org.natgrad.io.Npy;
import org.natgrad.io.NpyArray;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.Matrix;
import org.natgrad.matrixfree.BatchCurvature;
import org.natgrad.matrixfree.Lanczos;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Network;

/**
 * What {@code natgrad fisher --matrix-free} writes (the default beyond the dense limit), for any P,
 * from products with the exact Fisher G = (1/N) Σ_n J_n^T F_out J_n ({@link BatchCurvature}), never
 * forming G: {@code grad.npy} (P), {@code diag.npy} (the exact diagonal, P), {@code eigenvalues.npy}
 * (the top k, descending), {@code eigenvectors.npy} (P x k), {@code eigen_residuals.npy}
 * (‖G u − λ u‖ per pair, k) and, given vectors V (P or P x n), {@code Fv.npy} = G V of the same shape.
 */
final class MatrixFreeFisherExport {
    private MatrixFreeFisherExport() {
    }

    /** The file names written, in order, for the message. */
    static List<String> write(RunFolder folder, Network net, Likelihood likelihood, Batch batch, int top, int steps,
                              long seed, NpyArray vectors) throws IOException {
        BatchCurvature g = BatchCurvature.of(net, likelihood, batch);
        int p = g.size();
        Matrix v = vectors == null ? null : checkVectors(vectors, p);
        List<String> files = new ArrayList<>();
        Npy.write(folder.resolve("grad.npy"), g.gradient().toFlat());
        files.add("grad.npy");
        Npy.write(folder.resolve("diag.npy"), g.diagonal());
        files.add("diag.npy");
        if (top > 0) {
            int k = Math.min(top, p);
            int m = steps > 0 ? Math.min(Math.max(steps, k), p) : Math.min(p, 3 * k + 20);
            Lanczos.Eigenpairs e = Lanczos.top(g.ggnOperator(), k, m, seed);
            Npy.write(folder.resolve("eigenvalues.npy"), e.values());
            Npy.write(folder.resolve("eigenvectors.npy"), e.vectors());
            Npy.write(folder.resolve("eigen_residuals.npy"), e.residuals());
            files.addAll(List.of("eigenvalues.npy", "eigenvectors.npy", "eigen_residuals.npy"));
        }
        if (v != null) {
            double[] out = new double[v.size()];
            for (int j = 0; j < v.cols(); j++) {
                System.arraycopy(g.ggn(v.column(j)), 0, out, j * p, p);
            }
            if (vectors.ndim() == 1) {
                Npy.write(folder.resolve("Fv.npy"), out);
            } else {
                Npy.write(folder.resolve("Fv.npy"), new Matrix(p, v.cols(), out));
            }
            files.add("Fv.npy");
        }
        return files;
    }

    /** The vectors as a P x n matrix, or a clear error naming the expected shapes. */
    static Matrix checkVectors(NpyArray a, int p) {
        if ((a.ndim() != 1 && a.ndim() != 2) || a.shape()[0] != p) {
            throw new IllegalArgumentException("--vectors: the array has shape " + a.shapeString() + " but the model has P = "
                    + p + " parameters; expected shape (" + p + ",) or (" + p + ", n)");
        }
        return a.toMatrix();
    }
}
