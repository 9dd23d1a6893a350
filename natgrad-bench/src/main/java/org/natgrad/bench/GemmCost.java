package org.natgrad.bench;

import static org.bytedeco.openblas.global.openblas.CblasColMajor;
import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasTrans;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Backend;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Network;
import org.natgrad.statistics.Gradients;

/**
 * Where the time of the autoencoder pass's gemms goes (docs/benchmarks.md "Where the gemm time
 * goes"). For each of the 23 products of one forward + backward pass of the 784-...-784 tanh
 * autoencoder at M = 1000 ({@link GemmPlan}: the pass's own operands, shapes and transposes), on
 * one BLAS thread, interleaved call by call within each run so that load hits every variant alike:
 * <ul>
 *   <li>{@code heap}: {@link MatOps#gemm} into a preallocated output (the JavaCPP preset copies the
 *       three {@code double[]} in and out of native memory around the call);</li>
 *   <li>{@code alloc}: the same with a new output per call ({@code out = null}), as {@code Dense}
 *       does in the pass: adds the allocation and zeroing of the output;</li>
 *   <li>{@code offheap}: {@code cblas_dgemm} on {@link DoublePointer}s filled once (BLAS alone);</li>
 *   <li>{@code marshal}: {@code cblas_dgemm} with m = n = k = 1 on the product's full heap arrays:
 *       the JNI array copies alone (one multiply-add of BLAS work);</li>
 *   <li>{@code notrans}: for a product with a transposed operand, the off-heap call on an
 *       explicitly transposed copy (so the kernel runs untransposed; the copy is not timed);</li>
 *   <li>{@code sheap}, {@code soff}: the same product in float32, {@code cblas_sgemm} on
 *       {@code float[]} (copied by JNI) and on {@link FloatPointer}s.</li>
 * </ul>
 * Prints per product the minimum time of each variant in µs, and totals (sums of per-product
 * minima and of per-product medians) with GFLOP/s. Usage:
 * {@code java -cp natgrad-benchmarks.jar org.natgrad.bench.GemmCost [--runs 15] [--warmup 3]}.
 */
public final class GemmCost {

    private static final String[] VARIANTS = {"heap", "alloc", "offheap", "marshal", "notrans", "sheap", "soff"};

    private GemmCost() {
    }

    /** One product with its operands in every storage the variants need. */
    private static final class Case implements AutoCloseable {
        final GemmPlan.Product p;
        final int m;
        final int n;
        final int k;
        final DoublePointer da;
        final DoublePointer db;
        final DoublePointer dc;
        final DoublePointer dat;
        final DoublePointer dbt;
        final float[] fa;
        final float[] fb;
        final float[] fc;
        final FloatPointer pa;
        final FloatPointer pb;
        final FloatPointer pc;

        Case(GemmPlan.Product p) {
            this.p = p;
            m = p.out().rows();
            n = p.out().cols();
            k = p.transA() ? p.a().rows() : p.a().cols();
            da = new DoublePointer(p.a().data());
            db = new DoublePointer(p.b().data());
            dc = new DoublePointer((long) m * n);
            dat = p.transA() ? new DoublePointer(p.a().transpose().data()) : null;
            dbt = p.transB() ? new DoublePointer(p.b().transpose().data()) : null;
            fa = toFloat(p.a().data());
            fb = toFloat(p.b().data());
            fc = new float[m * n];
            pa = new FloatPointer(fa);
            pb = new FloatPointer(fb);
            pc = new FloatPointer((long) m * n);
        }

        int lda() {
            return p.a().rows();
        }

        int ldb() {
            return p.b().rows();
        }

        int ta() {
            return p.transA() ? CblasTrans : CblasNoTrans;
        }

        int tb() {
            return p.transB() ? CblasTrans : CblasNoTrans;
        }

        /** Runs variant v once; returns false if it does not apply to this product. */
        boolean run(int v) {
            switch (v) {
                case 0 -> p.run();
                case 1 -> MatOps.gemm(1, p.a(), p.transA(), p.b(), p.transB(), 0, null);
                case 2 -> openblas.cblas_dgemm(CblasColMajor, ta(), tb(), m, n, k, 1, da, lda(), db, ldb(), 0, dc, m);
                case 3 -> openblas.cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, 1, 1, 1, 1, p.a().data(), lda(),
                        p.b().data(), ldb(), 0, p.out().data(), m);
                case 4 -> {
                    if (dat == null && dbt == null) {
                        return false;
                    }
                    openblas.cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1, dat != null ? dat : da,
                            m, dbt != null ? dbt : db, k, 0, dc, m);
                }
                case 5 -> openblas.cblas_sgemm(CblasColMajor, ta(), tb(), m, n, k, 1, fa, lda(), fb, ldb(), 0, fc, m);
                case 6 -> openblas.cblas_sgemm(CblasColMajor, ta(), tb(), m, n, k, 1, pa, lda(), pb, ldb(), 0, pc, m);
                default -> throw new IllegalArgumentException("variant " + v);
            }
            return true;
        }

        @Override
        public void close() {
            for (org.bytedeco.javacpp.Pointer q : new org.bytedeco.javacpp.Pointer[] {da, db, dc, dat, dbt, pa, pb, pc}) {
                if (q != null) {
                    q.close();
                }
            }
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    public static void main(String[] args) {
        Map<String, Integer> o = BenchArgs.parse("GemmCost", args, Map.of("runs", 15, "warmup", 3), Map.of("runs", 1, "warmup", 0));
        int runs = o.get("runs");
        int warmup = o.get("warmup");
        Backend.setThreads(1);
        Network ae = Workloads.autoencoder(11);
        Batch batch = Workloads.autoencoderBatch(784, 1000, 12);
        Gaussian unit = Gaussian.unit();
        Gradients g0 = Gradients.of(ae, unit, batch);
        Matrix err = MatOps.scaleInPlace(1.0 / batch.size(), unit.outputError(g0.trace().output(), batch.targets()));
        GemmPlan plan = GemmPlan.ofPass(ae, g0.trace(), ae.backward(g0.trace(), err, true));
        List<Case> cases = new ArrayList<>();
        for (GemmPlan.Product p : plan.products()) {
            cases.add(new Case(p));
        }
        int nv = VARIANTS.length;
        double[][][] t = new double[cases.size()][nv][runs];
        try {
            checkAgreement(cases);
            for (int r = -warmup; r < runs; r++) {
                for (int c = 0; c < cases.size(); c++) {
                    for (int v = 0; v < nv; v++) {
                        long t0 = System.nanoTime();
                        boolean ran = cases.get(c).run(v);
                        long t1 = System.nanoTime();
                        if (r >= 0) {
                            t[c][v][r] = ran ? (t1 - t0) / 1e3 : Double.NaN;
                        }
                    }
                }
            }
        } finally {
            cases.forEach(Case::close);
        }
        System.out.println("GemmCost " + java.time.Instant.now() + ", load " + load());
        System.out.print(BlasInfo.describe());
        System.out.printf(Locale.ROOT, "runs %d after %d warm-up; per product the minimum over runs, µs%n", runs, warmup);
        System.out.printf(Locale.ROOT, "%-14s %-16s %9s", "product", "m x n x k", "MB moved");
        for (String v : VARIANTS) {
            System.out.printf(Locale.ROOT, " %9s", v);
        }
        System.out.println();
        double[] sumMin = new double[nv];
        double[] sumMed = new double[nv];
        double[] sumMinTrans = new double[nv];
        for (int c = 0; c < cases.size(); c++) {
            Case cs = cases.get(c);
            double mb = 8.0 * ((long) cs.m * cs.k + (long) cs.k * cs.n + (long) cs.m * cs.n) / 1e6;
            System.out.printf(Locale.ROOT, "%-14s %-16s %9.2f", cs.p.label(), cs.m + "x" + cs.n + "x" + cs.k, mb);
            for (int v = 0; v < nv; v++) {
                double[] s = t[c][v].clone();
                Arrays.sort(s);
                double min = s[0];
                double med = s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
                System.out.printf(Locale.ROOT, " %9.1f", min);
                boolean hasTrans = cs.dat != null || cs.dbt != null;
                if (!Double.isNaN(min)) {
                    sumMin[v] += min;
                    sumMed[v] += med;
                }
                if (hasTrans && !Double.isNaN(min)) {
                    sumMinTrans[v] += min;
                }
            }
            System.out.println();
        }
        double flops = 2.0 * plan.multiplyAdds();
        System.out.printf(Locale.ROOT, "%-41s", "total of minima, ms");
        for (int v = 0; v < nv; v++) {
            System.out.printf(Locale.ROOT, " %9.2f", sumMin[v] / 1e3);
        }
        System.out.printf(Locale.ROOT, "%n%-41s", "total of medians, ms");
        for (int v = 0; v < nv; v++) {
            System.out.printf(Locale.ROOT, " %9.2f", sumMed[v] / 1e3);
        }
        System.out.printf(Locale.ROOT, "%n%-41s", "transposed products only, minima, ms");
        for (int v = 0; v < nv; v++) {
            System.out.printf(Locale.ROOT, " %9.2f", sumMinTrans[v] / 1e3);
        }
        System.out.println();
        for (int v : new int[] {0, 1, 2, 5, 6}) {
            System.out.printf(Locale.ROOT, "RESULT %s %.3f %.3f %.2f %.2f%n", VARIANTS[v], sumMin[v] / 1e3, sumMed[v] / 1e3,
                    flops / (sumMin[v] * 1e3), flops / (sumMed[v] * 1e3));
        }
        passBreakdown(ae, batch, g0, plan, warmup, runs);
    }

    /**
     * The whole pass against its parts, interleaved run by run: the pass ({@code Gradients.of}), its
     * 23 gemms ({@link GemmPlan#run}), tanh of the 7 hidden layers' pre-activations into preallocated
     * arrays, the backward pass's δ = g ⊙ (1 − y²) over the same sizes, and allocating (zeroing) arrays
     * of the sizes the pass allocates (23 gemm outputs and 7 activation outputs). Prints min and
     * median (ms) of each.
     */
    private static void passBreakdown(Network ae, Batch batch, Gradients g0, GemmPlan plan, int warmup, int runs) {
        int hidden = ae.depth() - 1;
        double[][] pre = new double[hidden][];
        double[][] act = new double[hidden][];
        double[][] err = new double[hidden][];
        int[] sizes = new int[plan.products().size() + hidden];
        for (int i = 0; i < hidden; i++) {
            pre[i] = g0.trace().preActivation(i).data();
            act[i] = new double[pre[i].length];
            err[i] = g0.trace().layerOutput(i).data().clone();
            sizes[plan.products().size() + i] = pre[i].length;
        }
        for (int j = 0; j < plan.products().size(); j++) {
            sizes[j] = plan.products().get(j).out().data().length;
        }
        double[] sink = new double[1];
        Gaussian unit = Gaussian.unit();
        Runnable[] parts = {
            () -> Gradients.of(ae, unit, batch),
            plan::run,
            () -> {
                for (int i = 0; i < hidden; i++) {
                    org.natgrad.nn.Activation.TANH.apply(pre[i], act[i]);
                }
            },
            () -> {
                for (int i = 0; i < hidden; i++) {
                    double[] y = act[i];
                    double[] g = err[i];
                    for (int k = 0; k < g.length; k++) {
                        g[k] = 0.5 * g[k] * org.natgrad.nn.Activation.TANH.derivative(pre[i][k], y[k]) + 0.1;
                    }
                }
            },
            () -> {
                for (int n : sizes) {
                    double[] a = new double[n];
                    sink[0] += a[n - 1];
                }
            },
        };
        String[] names = {"pass (forward + backward with gradients)", "its 23 gemms (heap, preallocated outputs)",
            "tanh of the 7 hidden layers", "delta = g * (1 - y^2) of the 7 hidden layers",
            "allocating the pass's 30 outputs"};
        double[][] t = new double[parts.length][runs];
        for (int r = -warmup; r < runs; r++) {
            for (int p = 0; p < parts.length; p++) {
                long t0 = System.nanoTime();
                parts[p].run();
                long t1 = System.nanoTime();
                if (r >= 0) {
                    t[p][r] = (t1 - t0) / 1e6;
                }
            }
        }
        System.out.println("pass breakdown, ms: min, median" + (sink[0] == 0 ? "" : " "));
        for (int p = 0; p < parts.length; p++) {
            double[] s = t[p].clone();
            Arrays.sort(s);
            Timing.Result res = new Timing.Result(s);
            System.out.printf(Locale.ROOT, "  %-48s %9.2f %9.2f%n", names[p], res.min(), res.median());
        }
    }

    /** Every variant computes the same product (a wrong call would show here), checked once before timing. */
    private static void checkAgreement(List<Case> cases) {
        for (Case c : cases) {
            c.run(0);
            double[] ref = c.p.out().data().clone();
            for (int v : new int[] {2, 4, 5, 6}) {
                if (!c.run(v)) {
                    continue;
                }
                for (int i : new int[] {0, ref.length / 2, ref.length - 1}) {
                    double got = v == 5 ? c.fc[i] : v == 6 ? c.pc.get(i) : c.dc.get(i);
                    double tol = (v >= 5 ? 1e-4 : 1e-10) * Math.max(1, Math.abs(ref[i])) * Math.sqrt(c.k);
                    if (Math.abs(got - ref[i]) > tol) {
                        throw new IllegalStateException("GemmCost: " + VARIANTS[v] + " of " + c.p.label() + " differs at " + i
                                + ": " + got + " vs " + ref[i]);
                    }
                }
            }
            c.run(0); // restore the plan's output after the marshal variant overwrote entry 0 of it
        }
    }

    private static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
