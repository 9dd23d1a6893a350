package org.natgrad.experiment.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.natgrad.data.Dataset;
import org.natgrad.io.Npz;
import org.natgrad.io.NpyArray;
import org.natgrad.linalg.Matrix;

/**
 * Reads a training/test split from an NPZ file holding {@code x_train}, {@code y_train},
 * {@code x_test}, {@code y_test}, each 2-D with one example per ROW as NumPy code usually
 * has it (N x n_0 inputs, N x n_L targets); they become columns here.
 */
final class NpzData {
    private NpzData() {
    }

    static TrainData read(Path file) throws IOException {
        Map<String, NpyArray> a = Npz.read(file);
        Dataset train = new Dataset(columns(a, file, "x_train"), columns(a, file, "y_train"));
        Dataset test = new Dataset(columns(a, file, "x_test"), columns(a, file, "y_test"));
        return new TrainData(train, test, file + ": " + train.size() + " train / " + test.size() + " test examples");
    }

    private static Matrix columns(Map<String, NpyArray> a, Path file, String key) throws IOException {
        NpyArray x = a.get(key);
        if (x == null) {
            throw new IOException(file + ": missing array '" + key + "' (need x_train, y_train, x_test, y_test;"
                    + " found " + a.keySet() + ")");
        }
        if (x.ndim() != 2) {
            throw new IOException(file + ": array '" + key + "' has shape " + x.shapeString()
                    + "; expected 2-D (examples, features)");
        }
        return x.toMatrix().transpose();
    }
}
