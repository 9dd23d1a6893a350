package org.natgrad.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/**
 * A network architecture as a short string, e.g.
 * {@code input 1x28x28, conv 32 5x5, relu, maxpool 2, conv 64 5x5 stride 1 pad 2, relu, maxpool 2, dense 128, relu, dense 10}.
 *
 * <p><b>Grammar</b> (comma-separated modules, words separated by spaces, case-insensitive):
 * <pre>
 * spec     := "input" shape ("," module)+          shape := C "x" H "x" W  |  N
 * module   := "conv" K kernel ["stride" s] ["pad" p] ["nobias"]     (Conv2d; defaults stride 1, pad 0)
 *           | "dense" N ["nobias"]                                  (Dense)
 *           | ("maxpool" | "avgpool") kernel ["stride" s]           (default stride: the kernel, if square)
 *           | "affine"                                              (per-channel, or per-feature, scale and shift)
 *           | "layernorm" ["eps" e]                                 (over all features; default eps 1e-5)
 *           | "flatten"                                             (no layer: see below)
 *           | activation                                            (identity | tanh | relu | sigmoid | softplus)
 * kernel   := k | kh "x" kw
 * </pre>
 * An activation attaches to the module right before it, which must be a {@code conv} or {@code dense}
 * (the layers with an activation slot), at most once. {@code flatten} builds no layer: with natgrad's
 * image layout (channel fastest) a dense layer reads an image column as is, and a dense layer right
 * after an image module flattens implicitly; {@code flatten} is accepted so that the module numbering
 * can follow a PyTorch {@code nn.Sequential} that has an {@code nn.Flatten}.
 *
 * <p><b>Module numbering.</b> Module i (0-based, the input not counted) is what PyTorch's
 * {@code nn.Sequential} would number i when every module, activations and flatten included, is one
 * entry: {@link #moduleOf(int)} gives a layer's module number, which {@code io.ModelFiles} uses for the
 * state_dict keys ({@code 0.weight}, {@code 0.bias}, {@code 3.weight}, ...).
 *
 * <p>{@link #toString()} gives the canonical string, which parses back to an equal spec. Malformed
 * strings are refused with the module's position (1-based, among the comma-separated tokens, the
 * input token being 1) and its text.
 */
public final class ModelSpec {
    private final int[] input;
    private final List<Module> modules;
    /** Per network layer: its module number and its input shape (C, H, W), or (N) for a vector. */
    private final List<Placement> layers;

    /** One parsed module: what it is, with the numbers the grammar allows. */
    public record Module(String kind, int size, int kernelH, int kernelW, int stride, int padding, boolean bias,
                         double eps, Activation activation) {
    }

    private record Placement(int module, int[] inputShape, Activation activation) {
    }

    private ModelSpec(int[] input, List<Module> modules, List<Placement> layers) {
        this.input = input;
        this.modules = List.copyOf(modules);
        this.layers = List.copyOf(layers);
    }

    /**
     * Parses a spec whose first token is {@code input CxHxW} or {@code input N}.
     *
     * @throws IllegalArgumentException naming the token position and text of the first error
     */
    public static ModelSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("ModelSpec: empty model string; expected e.g. \"input 1x28x28, conv 8 3x3, relu, "
                    + "maxpool 2, dense 10\"");
        }
        String[] tokens = spec.split(",", -1);
        String[] first = words(tokens[0]);
        if (first.length != 2 || !first[0].equals("input")) {
            throw error(1, tokens[0], "the first module must be 'input CxHxW' or 'input N'");
        }
        int[] shape = shape(first[1], 1, tokens[0]);
        if (tokens.length < 2) {
            throw error(1, tokens[0], "no modules after the input");
        }
        List<Module> modules = new ArrayList<>();
        List<Placement> layers = new ArrayList<>();
        int[] cur = shape;
        int[] flattened = null; // the image shape a flatten module just turned into a vector
        for (int t = 1; t < tokens.length; t++) {
            Module mod = module(t + 1, tokens[t]);
            if (mod.kind().equals("activation")) {
                Module prev = modules.isEmpty() ? null : modules.get(modules.size() - 1);
                if (prev == null || !(prev.kind().equals("conv") || prev.kind().equals("dense"))) {
                    throw error(t + 1, tokens[t], "an activation attaches to the conv or dense module right before it, but it follows "
                            + (prev == null ? "the input" : "'" + moduleString(prev) + "'"));
                }
                Placement p = layers.get(layers.size() - 1);
                layers.set(layers.size() - 1, new Placement(p.module(), p.inputShape(), mod.activation()));
                modules.add(mod);
                continue;
            }
            int[] in = mod.kind().equals("dense") && flattened != null ? flattened : cur;
            boolean flatten = mod.kind().equals("flatten");
            flattened = flatten && cur.length == 3 ? cur : null;
            try {
                cur = outputShape(mod, cur);
            } catch (IllegalArgumentException e) {
                throw error(t + 1, tokens[t], e.getMessage());
            }
            if (!flatten) {
                layers.add(new Placement(modules.size(), in, Activation.IDENTITY));
            }
            modules.add(mod);
        }
        if (layers.isEmpty()) {
            throw error(tokens.length, tokens[tokens.length - 1], "the model has no layers");
        }
        return new ModelSpec(shape, modules, layers);
    }

    /** Parses {@code modules} (without an input token) for the given input shape, e.g. "1x28x28" or "784". */
    public static ModelSpec parse(String modules, String inputShape) {
        return parse("input " + inputShape + ", " + modules);
    }

    private static String[] words(String token) {
        String s = token.trim().toLowerCase(Locale.ROOT);
        return s.isEmpty() ? new String[0] : s.split("\\s+");
    }

    private static IllegalArgumentException error(int position, String token, String what) {
        return new IllegalArgumentException("ModelSpec: module " + position + " ('" + token.trim() + "'): " + what);
    }

    private static int[] shape(String s, int position, String token) {
        String[] parts = s.split("x", -1);
        if (parts.length != 1 && parts.length != 3) {
            throw error(position, token, "shape '" + s + "' must be CxHxW or N");
        }
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = positive(parts[i], position, token, "input size");
        }
        return out;
    }

    private static int positive(String s, int position, String token, String what) {
        try {
            int v = Integer.parseInt(s);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(position, token, what + " '" + s + "' must be a positive integer");
    }

    private static Module module(int position, String token) {
        String[] w = words(token);
        if (w.length == 0) {
            throw error(position, token, "empty module (two commas in a row?)");
        }
        switch (w[0]) {
            case "conv", "maxpool", "avgpool" -> {
                boolean conv = w[0].equals("conv");
                int at = 1;
                int k = 0;
                if (conv) {
                    requireWord(w, at, position, token, "output channels");
                    k = positive(w[at++], position, token, "output channels");
                }
                requireWord(w, at, position, token, "kernel (k or khxkw)");
                String[] kernel = w[at++].split("x", -1);
                if (kernel.length > 2) {
                    throw error(position, token, "kernel '" + w[at - 1] + "' must be k or khxkw");
                }
                int kh = positive(kernel[0], position, token, "kernel");
                int kw = kernel.length == 2 ? positive(kernel[1], position, token, "kernel") : kh;
                int stride = conv ? 1 : kh == kw ? kh : -1;
                int pad = 0;
                boolean bias = true;
                while (at < w.length) {
                    String opt = w[at++];
                    if (opt.equals("stride") || (conv && opt.equals("pad"))) {
                        requireWord(w, at, position, token, opt + " value");
                        int v = opt.equals("pad") ? nonNegative(w[at++], position, token) : positive(w[at++], position, token, "stride");
                        if (opt.equals("stride")) {
                            stride = v;
                        } else {
                            pad = v;
                        }
                    } else if (conv && opt.equals("nobias")) {
                        bias = false;
                    } else {
                        throw error(position, token, "unknown option '" + opt + "'; " + w[0] + " takes "
                                + (conv ? "stride s, pad p, nobias" : "stride s"));
                    }
                }
                if (stride < 0) {
                    throw error(position, token, "a non-square pooling window needs an explicit stride");
                }
                return new Module(w[0], k, kh, kw, stride, pad, bias, 0, null);
            }
            case "dense" -> {
                requireWord(w, 1, position, token, "output size");
                int n = positive(w[1], position, token, "output size");
                if (w.length > 3 || (w.length == 3 && !w[2].equals("nobias"))) {
                    throw error(position, token, "dense takes 'dense N' or 'dense N nobias'");
                }
                return new Module("dense", n, 0, 0, 0, 0, w.length == 2, 0, null);
            }
            case "affine", "flatten" -> {
                if (w.length != 1) {
                    throw error(position, token, w[0] + " takes no options");
                }
                return new Module(w[0], 0, 0, 0, 0, 0, false, 0, null);
            }
            case "layernorm" -> {
                double eps = LayerNorm.DEFAULT_EPS;
                if (w.length == 3 && w[1].equals("eps")) {
                    try {
                        eps = Double.parseDouble(w[2]);
                    } catch (NumberFormatException e) {
                        throw error(position, token, "eps '" + w[2] + "' is not a number");
                    }
                    if (!(eps > 0) || Double.isInfinite(eps)) {
                        throw error(position, token, "eps must be finite and > 0");
                    }
                } else if (w.length != 1) {
                    throw error(position, token, "layernorm takes 'layernorm' or 'layernorm eps E'");
                }
                return new Module("layernorm", 0, 0, 0, 0, 0, false, eps, null);
            }
            default -> {
                if (w.length == 1) {
                    for (Activation a : Activation.values()) {
                        if (a.label().equals(w[0])) {
                            return new Module("activation", 0, 0, 0, 0, 0, false, 0, a);
                        }
                    }
                }
                throw error(position, token, "unknown module '" + w[0] + "'; expected conv, dense, maxpool, avgpool, affine, "
                        + "layernorm, flatten or an activation (identity, tanh, relu, sigmoid, softplus)");
            }
        }
    }

    private static void requireWord(String[] w, int at, int position, String token, String what) {
        if (at >= w.length) {
            throw error(position, token, "missing " + what);
        }
    }

    private static int nonNegative(String s, int position, String token) {
        try {
            int v = Integer.parseInt(s);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(position, token, "pad '" + s + "' must be an integer >= 0");
    }

    private static int size(int[] shape) {
        return Math.multiplyExact(shape[0], shape.length == 3 ? Math.multiplyExact(shape[1], shape[2]) : 1);
    }

    /** The module's output shape for input {@code in}; throws IllegalArgumentException if it does not fit. */
    private static int[] outputShape(Module m, int[] in) {
        switch (m.kind()) {
            case "conv", "maxpool", "avgpool" -> {
                if (in.length != 3) {
                    throw new IllegalArgumentException(m.kind() + " needs an image input (CxHxW), but its input is a vector of "
                            + in[0]);
                }
                Geometry2d g = new Geometry2d(in[0], in[1], in[2], m.kernelH(), m.kernelW(), m.stride(), m.padding());
                return new int[] {m.kind().equals("conv") ? m.size() : in[0], g.outHeight(), g.outWidth()};
            }
            case "dense" -> {
                return new int[] {m.size()};
            }
            case "flatten" -> {
                return new int[] {size(in)};
            }
            default -> {
                if (m.kind().equals("layernorm") && size(in) < 2) {
                    throw new IllegalArgumentException("layernorm needs at least 2 features, its input has " + size(in));
                }
                return in;
            }
        }
    }

    /** The input shape: (C, H, W) for an image, (N) for a vector (a copy). */
    public int[] inputShape() {
        return input.clone();
    }

    /** The parsed modules, in order (module i is PyTorch's nn.Sequential entry i). */
    public List<Module> modules() {
        return modules;
    }

    /** The number of network layers the spec builds (modules other than activations and flatten). */
    public int layers() {
        return layers.size();
    }

    /** The module number of network layer i (0-based). */
    public int moduleOf(int layer) {
        return layers.get(layer).module();
    }

    /**
     * Network layer i's input shape: (C, H, W) for an image, (N) for a vector (a copy). A dense layer
     * right after {@code flatten} gets the image shape before the flatten (the order its weight's
     * columns have in PyTorch).
     */
    public int[] layerInputShape(int layer) {
        return layers.get(layer).inputShape().clone();
    }

    /**
     * Builds the network: conv and dense weights from {@code init} (its n_in is the fan-in, C·kh·kw for
     * a convolution) in layer order from {@code rng}, zero biases, γ = 1 and β = 0 for affine and
     * layernorm.
     */
    public Network build(Init init, Rng rng) {
        List<Layer> out = new ArrayList<>();
        for (Placement p : layers) {
            Module m = modules.get(p.module());
            int[] in = p.inputShape();
            int n = size(in);
            switch (m.kind()) {
                case "conv" -> {
                    Geometry2d g = new Geometry2d(in[0], in[1], in[2], m.kernelH(), m.kernelW(), m.stride(), m.padding());
                    out.add(new Conv2d(g, init.weights(m.size(), g.patchSize(), rng), m.bias() ? new Matrix(m.size(), 1) : null,
                            p.activation()));
                }
                case "maxpool", "avgpool" -> {
                    Geometry2d g = new Geometry2d(in[0], in[1], in[2], m.kernelH(), m.kernelW(), m.stride(), 0);
                    out.add(m.kind().equals("maxpool") ? new MaxPool2d(g) : new AvgPool2d(g));
                }
                case "dense" -> out.add(new Dense(init.weights(m.size(), n, rng), m.bias() ? new Matrix(m.size(), 1) : null,
                        p.activation()));
                case "affine" -> out.add(in.length == 3 ? Affine.identity(in[0], in[1] * in[2]) : Affine.identity(in[0], 1));
                case "layernorm" -> out.add(LayerNorm.of(n, m.eps()));
                default -> throw new IllegalStateException("ModelSpec: module kind " + m.kind() + " builds no layer");
            }
        }
        return new Network(out);
    }

    /** As {@link #build(Init, Rng)} with a seed. */
    public Network build(Init init, long seed) {
        return build(init, new Rng(seed));
    }

    /**
     * Refuses a network that this spec does not describe (layer types, sizes and activations).
     *
     * @throws IllegalArgumentException naming the first layer that differs
     */
    public void requireDescribes(Network net) {
        Network shape = build(new Init.Zero(), 0);
        if (net.depth() != shape.depth()) {
            throw new IllegalArgumentException("ModelSpec: the network has " + net.depth() + " layers, the spec '" + this
                    + "' builds " + shape.depth());
        }
        for (int i = 0; i < net.depth(); i++) {
            Layer a = net.layer(i);
            Layer b = shape.layer(i);
            if (a.getClass() != b.getClass() || a.inputs() != b.inputs() || a.outputs() != b.outputs()
                    || a.hasBias() != b.hasBias() || !a.label().equals(b.label()) || !a.toString().equals(b.toString())) {
                throw new IllegalArgumentException("ModelSpec: layer " + (i + 1) + " of the network is " + a
                        + " but the spec describes " + b);
            }
        }
    }

    private static String moduleString(Module m) {
        return switch (m.kind()) {
            case "conv" -> "conv " + m.size() + " " + m.kernelH() + "x" + m.kernelW()
                    + (m.stride() != 1 ? " stride " + m.stride() : "") + (m.padding() != 0 ? " pad " + m.padding() : "")
                    + (m.bias() ? "" : " nobias");
            case "maxpool", "avgpool" -> m.kind() + " " + (m.kernelH() == m.kernelW() ? "" + m.kernelH() : m.kernelH() + "x" + m.kernelW())
                    + (m.kernelH() == m.kernelW() && m.stride() == m.kernelH() ? "" : " stride " + m.stride());
            case "dense" -> "dense " + m.size() + (m.bias() ? "" : " nobias");
            case "layernorm" -> m.eps() == LayerNorm.DEFAULT_EPS ? "layernorm" : "layernorm eps " + m.eps();
            case "activation" -> m.activation().label();
            default -> m.kind();
        };
    }

    /** The canonical model string ({@link #parse} of it gives an equal spec). */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("input ");
        for (int i = 0; i < input.length; i++) {
            s.append(i == 0 ? "" : "x").append(input[i]);
        }
        for (Module m : modules) {
            s.append(", ").append(moduleString(m));
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec other && other.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
