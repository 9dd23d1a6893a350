package org.natgrad.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Dense;
import org.natgrad.nn.Network;

/**
 * Saves and loads a {@link Network}'s parameters as a NumPy {@code .npz}: float64 arrays
 * {@code W1}..{@code WL} of shape (n_i, n_{i-1}) and {@code b1}..{@code bL} of shape (n_i,)
 * (absent for a layer without bias), the paper's 1-based layer numbering. In NumPy,
 * {@code x_i = phi(W_i @ x_{i-1} + b_i)} with x a column, exactly as in natgrad.
 *
 * <p>Activations are not stored: the caller names them when loading. Other arrays (for example
 * an optimizer's state such as {@code opt_damping}) may live in the same file; see
 * {@link #saveWithState} and {@link #loadExtra}. Non-finite parameters are refused.
 */
public final class ModelFiles {
    private static final Pattern PARAM = Pattern.compile("([Wb])([1-9][0-9]*)");

    private ModelFiles() {
    }

    /** Saves the network's weights and biases, atomically. */
    public static void save(Path path, Network net) throws IOException {
        saveWithState(path, net, Map.of());
    }

    /**
     * Saves the network plus extra 1-D float64 arrays (e.g. optimizer state), atomically.
     *
     * @throws IllegalArgumentException if an extra key looks like a parameter name (W3, b1)
     */
    public static void saveWithState(Path path, Network net, Map<String, double[]> extra) throws IOException {
        Map<String, NpyArray> arrays = parameterArrays(net);
        for (Map.Entry<String, double[]> e : extra.entrySet()) {
            if (PARAM.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("ModelFiles.saveWithState: extra key '" + e.getKey()
                        + "' would clash with the parameter names W1..WL, b1..bL");
            }
            arrays.put(e.getKey(), NpyArray.of(e.getValue()));
        }
        Npz.write(path, arrays);
    }

    /** The arrays {@code save} writes: W1, b1, W2, b2, ... in layer order. */
    public static Map<String, NpyArray> parameterArrays(Network net) {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        for (int i = 0; i < net.depth(); i++) {
            Dense d = net.denseLayer(i);
            arrays.put("W" + (i + 1), NpyArray.of(d.weights()));
            if (d.hasBias()) {
                arrays.put("b" + (i + 1), NpyArray.of(d.bias().data()));
            }
        }
        return arrays;
    }

    /**
     * Loads a network: {@code hidden} on layers 1..L-1 and {@code output} on layer L.
     *
     * @throws IOException naming the file and the missing key or the inconsistent shape
     */
    public static Network load(Path path, Activation hidden, Activation output) throws IOException {
        return fromArrays(Npz.read(path, true), path.toString(), hidden, output);
    }

    /** Builds a network from W/b arrays (as {@link #parameterArrays} gives); {@code source} names them in errors. */
    public static Network fromArrays(Map<String, NpyArray> arrays, String source, Activation hidden, Activation output)
            throws FileFormatException {
        int depth = 0;
        for (String k : arrays.keySet()) {
            Matcher m = PARAM.matcher(k);
            if (m.matches() && m.group(1).equals("W")) {
                depth = Math.max(depth, layerNumber(k, m.group(2), source));
            }
        }
        if (depth == 0) {
            throw new FileFormatException(source, -1, "no weight array W1 (keys present: " + arrays.keySet() + ")");
        }
        for (String k : arrays.keySet()) {
            Matcher m = PARAM.matcher(k);
            if (m.matches() && m.group(1).equals("b") && layerNumber(k, m.group(2), source) > depth) {
                throw new FileFormatException(source, -1, "bias " + k + " has no weight W" + m.group(2)
                        + " (the last weight is W" + depth + ")");
            }
        }
        List<Dense> layers = new ArrayList<>();
        int prevOut = -1;
        for (int i = 1; i <= depth; i++) {
            NpyArray w = arrays.get("W" + i);
            if (w == null) {
                throw new FileFormatException(source, -1, "missing key W" + i + " (found W" + depth
                        + ", so W1..W" + depth + " must all be present)");
            }
            if (w.ndim() != 2) {
                throw new FileFormatException(source, -1, "W" + i + " has shape " + w.shapeString()
                        + ", expected a 2-D array (outputs, inputs)");
            }
            int rows = w.shape()[0];
            int cols = w.shape()[1];
            if (rows == 0 || cols == 0) {
                throw new FileFormatException(source, -1, "W" + i + " is " + rows + "x" + cols + ", an empty layer");
            }
            if (prevOut >= 0 && cols != prevOut) {
                throw new FileFormatException(source, -1, "W" + i + " is " + rows + "x" + cols + " but W" + (i - 1)
                        + " gives " + prevOut + " outputs");
            }
            Matrix bias = null;
            NpyArray b = arrays.get("b" + i);
            if (b != null) {
                boolean ok = (b.ndim() == 1 && b.shape()[0] == rows)
                        || (b.ndim() == 2 && b.shape()[0] == rows && b.shape()[1] == 1);
                if (!ok) {
                    throw new FileFormatException(source, -1, "b" + i + " has shape " + b.shapeString() + " but W" + i
                            + " is " + rows + "x" + cols + ", so b" + i + " must have shape (" + rows + ",)");
                }
                bias = new Matrix(rows, 1, b.data().clone());
            }
            Matrix wm = w.toMatrix();
            layers.add(new Dense(wm, bias, i == depth ? output : hidden));
            prevOut = rows;
        }
        return new Network(layers);
    }

    /** The layer number of a parameter key such as W12; a number beyond int range is a format error. */
    private static int layerNumber(String key, String digits, String source) throws FileFormatException {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new FileFormatException(source, -1, "array " + key + ": layer number " + digits + " is too large");
        }
    }

    /**
     * The arrays in a model file other than W1..WL and b1..bL, flattened (C order), in file
     * order; empty if there are none.
     */
    public static Map<String, double[]> loadExtra(Path path) throws IOException {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, NpyArray> e : Npz.read(path).entrySet()) {
            if (!PARAM.matcher(e.getKey()).matches()) {
                out.put(e.getKey(), e.getValue().data());
            }
        }
        return out;
    }
}
