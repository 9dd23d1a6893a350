package org.natgrad.bench;

import java.util.ArrayList;
import java.util.List;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Backprop;
import org.natgrad.nn.Network;
import org.natgrad.nn.Trace;

/**
 * The matrix products of one forward + backward pass of a {@link Network}, replayed on their own
 * so that the "sum of the gemm times" of a pass can be measured without the rest of the pass.
 *
 * <p>For layer i (0-based, L layers, batch of M columns) {@link Network#forward} computes
 * W_i x_{i-1} (n_i x n_{i-1} times n_{i-1} x M) and {@link Network#backward} with gradients
 * computes δ_i x_{i-1}^T (n_i x M times M x n_{i-1}) and, for i > 0, W_i^T δ_i
 * (n_{i-1} x n_i times n_i x M): 3L - 1 products, each through {@link MatOps#gemm} with the
 * same operands, transposes and shapes as in the pass. The outputs are preallocated, so
 * {@link #run()} times the products alone (the pass itself also allocates its outputs; that
 * cost belongs to the pass's overhead, not to the gemms).
 */
public final class GemmPlan {

    /** One product out = op(a) op(b). */
    public record Product(String label, Matrix a, boolean transA, Matrix b, boolean transB, Matrix out) {
        /** m * n * k multiply-adds. */
        public long multiplyAdds() {
            long m = out.rows();
            long n = out.cols();
            long k = transA ? a.rows() : a.cols();
            return m * n * k;
        }

        public void run() {
            MatOps.gemm(1, a, transA, b, transB, 0, out);
        }
    }

    private final List<Product> products;

    private GemmPlan(List<Product> products) {
        this.products = List.copyOf(products);
    }

    /**
     * The products of the pass that produced {@code trace} and {@code backprop} (which must hold
     * the errors δ_i of every layer), in the order the pass runs them.
     */
    public static GemmPlan ofPass(Network net, Trace trace, Backprop backprop) {
        int l = net.depth();
        if (trace.layers() != l || backprop.errors().length != l) {
            throw new IllegalArgumentException("GemmPlan: network has " + l + " layers, trace " + trace.layers()
                    + ", backprop " + backprop.errors().length);
        }
        List<Product> ps = new ArrayList<>();
        for (int i = 0; i < l; i++) {
            Matrix w = net.layer(i).weights();
            Matrix x = trace.input(i);
            ps.add(new Product("forward " + (i + 1), w, false, x, false, new Matrix(w.rows(), x.cols())));
        }
        for (int i = l - 1; i >= 0; i--) {
            Matrix w = net.layer(i).weights();
            Matrix delta = backprop.error(i);
            Matrix x = trace.input(i);
            ps.add(new Product("gradient " + (i + 1), delta, false, x, true, new Matrix(delta.rows(), x.rows())));
            if (i > 0) {
                ps.add(new Product("backward " + (i + 1), w, true, delta, false, new Matrix(w.cols(), delta.cols())));
            }
        }
        return new GemmPlan(ps);
    }

    /** The products, in pass order. */
    public List<Product> products() {
        return products;
    }

    /** Runs every product once; returns the last output. */
    public Matrix run() {
        Matrix last = null;
        for (Product p : products) {
            p.run();
            last = p.out();
        }
        return last;
    }

    /** Total multiply-adds of the pass's products (flops = 2x this). */
    public long multiplyAdds() {
        return products.stream().mapToLong(Product::multiplyAdds).sum();
    }

    /** Multiply-adds of the gemms of one pass of a dense network with these widths at batch size m. */
    public static long passMultiplyAdds(List<Integer> widths, int m) {
        long s = 0;
        for (int i = 1; i < widths.size(); i++) {
            long w = (long) widths.get(i) * widths.get(i - 1) * m;
            s += i == 1 ? 2 * w : 3 * w; // forward + gradient, and the backward product except at layer 1
        }
        return s;
    }
}
