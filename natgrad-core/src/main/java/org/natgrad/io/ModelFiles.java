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
import java.nio.charset.StandardCharsets;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Conv2d;
import org.natgrad.nn.Dense;
import org.natgrad.nn.Init;
import org.natgrad.nn.Layer;
import org.natgrad.nn.LayerNorm;
import org.natgrad.nn.ModelSpec;
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
 *
 * <p><b>Models with a {@link ModelSpec}</b> (any layer type: {@link #saveModel}, {@link #loadModel},
 * {@link #fromStateDict}) are stored as a PyTorch {@code state_dict} of the equivalent
 * {@code nn.Sequential} saved with {@code numpy.savez(f, **{k: v.numpy() for k, v in sd.items()})}
 * would be: float64 arrays keyed {@code <i>.weight} and {@code <i>.bias}, i the module number of
 * {@link ModelSpec#moduleOf} (activations, pooling and flatten count as modules), in PyTorch's layouts:
 * <ul>
 *   <li>conv: weight (K, C, kh, kw), bias (K,) ({@link Conv2d#toPytorchLayout});</li>
 *   <li>dense: weight (out, in), bias (out,); when its input is an image C x H x W the columns are in
 *       PyTorch's flatten order c·H·W + y·W + x (natgrad's are c + C·(y·W + x), channel fastest);</li>
 *   <li>layernorm: weight and bias (C, H, W) for an image input (PyTorch's {@code LayerNorm([C, H, W])}),
 *       (n,) for a vector; affine: weight (γ) and bias (β) (C,);</li>
 * </ul>
 * plus {@link #MODEL_KEY}, the canonical model string as a 1-D float64 array of its UTF-8 bytes
 * (in NumPy: {@code bytes(a.astype('uint8')).decode()}; drop it before {@code load_state_dict}).
 */
public final class ModelFiles {
    private static final Pattern PARAM = Pattern.compile("([Wb])([1-9][0-9]*)");

    /** The key of the model string in a model file. */
    public static final String MODEL_KEY = "natgrad_model";
    private static final Pattern MODULE_PARAM = Pattern.compile("([0-9]+)\\.(weight|bias)");

    private ModelFiles() {
    }

    /** A network with the spec it was built from. */
    public record Model(ModelSpec spec, Network network) {
    }

    /**
     * Saves a network described by {@code spec} with PyTorch's keys and layouts and the model string,
     * atomically.
     *
     * @throws IllegalArgumentException if the spec does not describe the network
     */
    public static void saveModel(Path path, ModelSpec spec, Network net) throws IOException {
        Map<String, NpyArray> arrays = stateDict(spec, net);
        byte[] text = spec.toString().getBytes(StandardCharsets.UTF_8);
        double[] codes = new double[text.length];
        for (int i = 0; i < text.length; i++) {
            codes[i] = text[i] & 0xff;
        }
        arrays.put(MODEL_KEY, new NpyArray(new int[] {codes.length}, codes));
        Npz.write(path, arrays);
    }

    /**
     * The network's parameters as the state_dict arrays of the class documentation (keys in layer
     * order, weight before bias).
     *
     * @throws IllegalArgumentException if the spec does not describe the network
     */
    public static Map<String, NpyArray> stateDict(ModelSpec spec, Network net) {
        spec.requireDescribes(net);
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        try {
            parameters(spec, net, (key, shape, ours, block, layer) -> {
                double[] torch = new double[ours.length];
                for (int t = 0; t < torch.length; t++) {
                    torch[t] = block[ours[t]];
                }
                arrays.put(key, new NpyArray(shape, torch));
            });
        } catch (FileFormatException e) {
            throw new IllegalStateException(e); // the visitor above throws nothing
        }
        return arrays;
    }

    /** What {@link #parameters} calls per parameter array. */
    private interface ParameterVisit {
        /**
         * @param key   the state_dict key
         * @param shape its PyTorch shape
         * @param ours  per element t of the C-order PyTorch array, its index in {@code block}
         * @param block the layer's parameter block (column-major data, not a copy)
         */
        void at(String key, int[] shape, int[] ours, double[] block, Layer layer) throws FileFormatException;
    }

    /** Visits every parameter array of the network in the state_dict order (layer order, weight then bias). */
    private static void parameters(ModelSpec spec, Network net, ParameterVisit visit) throws FileFormatException {
        for (int i = 0; i < net.depth(); i++) {
            Layer layer = net.layer(i);
            if (layer.parameterCount() == 0) {
                continue;
            }
            String key = Integer.toString(spec.moduleOf(i));
            Layout w = weightLayout(layer, spec.layerInputShape(i));
            visit.at(key + ".weight", w.shape(), w.ours(), layer.weights().data(), layer);
            if (layer.hasBias()) {
                int[] shape = layer instanceof LayerNorm ? w.shape() : new int[] {layer.bias().size()};
                visit.at(key + ".bias", shape, w.biasOurs(), layer.bias().data(), layer);
            }
        }
    }

    /** Loads a model file written by {@link #saveModel}: the spec from {@link #MODEL_KEY}, the parameters by key. */
    public static Model loadModel(Path path) throws IOException {
        Map<String, NpyArray> arrays = Npz.read(path, true);
        NpyArray text = arrays.get(MODEL_KEY);
        if (text == null || text.ndim() != 1) {
            throw new FileFormatException(path.toString(), -1, "no model string '" + MODEL_KEY + "' (a 1-D array of UTF-8"
                    + " bytes); for a plain state_dict give the model string: ModelFiles.fromStateDict");
        }
        byte[] bytes = new byte[text.size()];
        for (int i = 0; i < bytes.length; i++) {
            double v = text.data()[i];
            if (v < 0 || v > 255 || v != Math.rint(v)) {
                throw new FileFormatException(path.toString(), -1, MODEL_KEY + " holds " + v + " at " + i + ", not a byte");
            }
            bytes[i] = (byte) v;
        }
        ModelSpec spec;
        try {
            spec = ModelSpec.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(path.toString(), -1, "bad model string: " + e.getMessage());
        }
        return new Model(spec, fromStateDict(arrays, spec, path.toString()));
    }

    /**
     * Builds the network {@code spec} describes with the parameters of a state_dict in PyTorch's keys
     * and layouts (the class documentation). Arrays other than {@code <i>.weight} / {@code <i>.bias} are
     * ignored; such a key for a module without that parameter is refused (the spec does not match).
     *
     * @throws FileFormatException naming {@code source} and the missing, extra or misshapen key
     */
    public static Network fromStateDict(Map<String, NpyArray> arrays, ModelSpec spec, String source)
            throws FileFormatException {
        Network net = spec.build(new Init.Zero(), 0);
        java.util.Set<String> used = new java.util.HashSet<>();
        parameters(spec, net, (key, shape, ours, block, layer) -> {
            double[] torch = require(arrays, key, shape, source, layer);
            for (int t = 0; t < torch.length; t++) {
                block[ours[t]] = torch[t];
            }
            used.add(key);
        });
        for (String k : arrays.keySet()) {
            if (MODULE_PARAM.matcher(k).matches() && !used.contains(k)) {
                throw new FileFormatException(source, -1, "array " + k + " belongs to no parameter of the model '" + spec
                        + "' (its parameters: " + used + ")");
            }
        }
        return net;
    }

    private static double[] require(Map<String, NpyArray> arrays, String key, int[] shape, String source, Layer layer)
            throws FileFormatException {
        NpyArray a = arrays.get(key);
        String expected = java.util.Arrays.toString(shape).replace('[', '(').replace(']', ')');
        if (a == null) {
            throw new FileFormatException(source, -1, "missing key " + key + " of shape " + expected + " for " + layer);
        }
        if (!java.util.Arrays.equals(a.shape(), shape)) {
            throw new FileFormatException(source, -1, key + " has shape " + a.shapeString() + " but " + layer
                    + " needs " + expected);
        }
        return a.data();
    }

    /**
     * A parameter's PyTorch shape and, per element t of the C-order PyTorch array, the index in the
     * layer's column-major block it is: {@code ours} for the weights, {@code biasOurs} for the bias.
     */
    private record Layout(int[] shape, int[] ours, int[] biasOurs) {
    }

    /** The layouts of the class documentation for one layer whose input has {@code in} = (C, H, W) or (N). */
    private static Layout weightLayout(Layer layer, int[] in) {
        int[] biasIdentity = identity(layer.hasBias() ? layer.bias().size() : 0);
        if (layer instanceof Conv2d conv) {
            org.natgrad.nn.Geometry2d g = conv.geometry();
            int k = conv.outChannels();
            Matrix idx = new Matrix(k, g.patchSize());
            for (int t = 0; t < idx.size(); t++) {
                idx.data()[t] = t;
            }
            double[] torch = new Conv2d(g, idx, null, Activation.IDENTITY).toPytorchLayout();
            int[] ours = new int[torch.length];
            for (int t = 0; t < ours.length; t++) {
                ours[t] = (int) torch[t];
            }
            return new Layout(new int[] {k, g.channels(), g.kernelH(), g.kernelW()}, ours, biasIdentity);
        }
        int[] spatial = spatialOrder(in);
        if (layer instanceof Dense d) {
            int out = d.outputs();
            int n = d.inputs();
            int[] ours = new int[out * n];
            for (int o = 0; o < out; o++) {
                for (int j = 0; j < n; j++) {
                    ours[o * n + j] = o + out * spatial[j];
                }
            }
            return new Layout(new int[] {out, n}, ours, biasIdentity);
        }
        if (layer instanceof LayerNorm) {
            return new Layout(in.clone(), spatial, spatial);
        }
        int c = layer.weights().size(); // affine: γ and β per channel
        return new Layout(new int[] {c}, identity(c), biasIdentity);
    }

    /** For PyTorch's C-order index c·H·W + y·W + x of an input (C, H, W), natgrad's row c + C·(y·W + x); identity for (N). */
    private static int[] spatialOrder(int[] in) {
        if (in.length != 3) {
            return identity(in[0]);
        }
        int c = in[0];
        int h = in[1];
        int w = in[2];
        int[] p = new int[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    p[(ch * h + y) * w + x] = ch + c * (y * w + x);
                }
            }
        }
        return p;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
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
