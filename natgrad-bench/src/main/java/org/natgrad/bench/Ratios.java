package org.natgrad.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH result file written with {@code -rf csv -rff FILE} into the derived figures of
 * docs/benchmarks.md: GFLOP/s of the gemms, pass / sum-of-gemms of the autoencoder, natgrad's
 * heap-array gemm / off-heap gemm, and java / native for the small products. Only ratios of
 * rows from the same file (one JMH run) are formed. Usage: {@code Ratios FILE.csv}.
 */
public final class Ratios {

    /** One JMH result row: benchmark method (simple class.method), score in ms, parameters. */
    record Row(String benchmark, double millis, double errorMillis, Map<String, String> params) {
        String param(String name) {
            return params.getOrDefault(name, "");
        }
    }

    private Ratios() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Ratios RESULTS.csv   (a JMH result file from -rf csv -rff RESULTS.csv)");
            System.exit(2);
        }
        List<Row> rows = parse(Files.readAllLines(Path.of(args[0])), args[0]);
        System.out.print(report(rows));
    }

    /** Parses JMH's CSV (header line, quoted strings); scores are converted to milliseconds. */
    static List<Row> parse(List<String> lines, String source) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(source + ": empty file, expected a JMH CSV result");
        }
        List<String> header = splitCsv(lines.get(0));
        int iBench = header.indexOf("Benchmark");
        int iScore = header.indexOf("Score");
        int iErr = header.indexOf("Score Error (99.9%)");
        int iUnit = header.indexOf("Unit");
        int iMode = header.indexOf("Mode");
        if (iBench < 0 || iScore < 0 || iUnit < 0 || iMode < 0) {
            throw new IllegalArgumentException(source + " line 1: not a JMH CSV header: " + lines.get(0));
        }
        List<Row> rows = new ArrayList<>();
        for (int ln = 1; ln < lines.size(); ln++) {
            if (lines.get(ln).isBlank()) {
                continue;
            }
            List<String> f = splitCsv(lines.get(ln));
            if (f.size() != header.size()) {
                throw new IllegalArgumentException(source + " line " + (ln + 1) + ": " + f.size() + " fields, header has "
                        + header.size());
            }
            if (!f.get(iMode).equals("avgt")) {
                throw new IllegalArgumentException(source + " line " + (ln + 1) + ": mode " + f.get(iMode)
                        + ", only average time (avgt) results are supported");
            }
            double scale = switch (f.get(iUnit)) {
                case "s/op" -> 1e3;
                case "ms/op" -> 1;
                case "us/op" -> 1e-3;
                case "ns/op" -> 1e-6;
                default -> throw new IllegalArgumentException(source + " line " + (ln + 1) + ": unknown unit " + f.get(iUnit));
            };
            Map<String, String> params = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                if (header.get(c).startsWith("Param: ")) {
                    params.put(header.get(c).substring(7), f.get(c));
                }
            }
            String full = f.get(iBench);
            String[] parts = full.split("\\.");
            String name = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : full;
            double err = iErr >= 0 && !f.get(iErr).isEmpty() && !f.get(iErr).equals("NaN")
                    ? Double.parseDouble(f.get(iErr)) * scale : Double.NaN;
            rows.add(new Row(name, Double.parseDouble(f.get(iScore)) * scale, err, params));
        }
        return rows;
    }

    static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }

    static String report(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        double gemmFlops = 2.0 * GemmThroughputBenchmark.M * GemmThroughputBenchmark.K * GemmThroughputBenchmark.N;
        Row matOps = find(rows, "GemmThroughputBenchmark.matOps", Map.of());
        Row offHeap = find(rows, "GemmThroughputBenchmark.offHeap", Map.of());
        Row javaLoops = find(rows, "GemmThroughputBenchmark.javaLoops", Map.of());
        if (matOps != null || offHeap != null || javaLoops != null) {
            sb.append("dgemm (400x784)(784x1000), 1 thread:\n");
            for (Row r : new Row[] {matOps, offHeap, javaLoops}) {
                if (r != null) {
                    sb.append(String.format(Locale.ROOT, "  %-34s %9.3f ms  %6.2f GFLOP/s%n", r.benchmark(), r.millis(),
                            gemmFlops / (r.millis() * 1e6)));
                }
            }
            if (matOps != null && offHeap != null) {
                sb.append(String.format(Locale.ROOT, "  heap double[] / off-heap pointer time: %.3f%n",
                        matOps.millis() / offHeap.millis()));
            }
        }
        Row gvHeap = find(rows, "GemmThroughputBenchmark.gemvHeap", Map.of());
        Row gvOff = find(rows, "GemmThroughputBenchmark.gemvOffHeap", Map.of());
        Row gvJava = find(rows, "GemmThroughputBenchmark.gemvJava", Map.of());
        if (gvHeap != null && gvOff != null && gvJava != null) {
            sb.append(String.format(Locale.ROOT, "dgemv 1000x1000, 1 thread: heap native %.3f ms, off-heap %.3f ms, java %.3f ms;"
                            + " heap/off-heap %.2f, java/heap %.2f%n", gvHeap.millis(), gvOff.millis(), gvJava.millis(),
                    gvHeap.millis() / gvOff.millis(), gvJava.millis() / gvHeap.millis()));
        }
        Row pass = find(rows, "AutoencoderPassBenchmark.pass", Map.of());
        Row gemms = find(rows, "AutoencoderPassBenchmark.gemmsOfPass", Map.of());
        if (pass != null && gemms != null) {
            long madds = GemmPlan.passMultiplyAdds(Workloads.AUTOENCODER_WIDTHS, AutoencoderPassBenchmark.BATCH);
            sb.append("autoencoder 784-400-200-100-50-100-200-400-784, M = 1000, 1 thread:\n");
            sb.append(String.format(Locale.ROOT, "  pass %.2f ms, its 23 gemms %.2f ms (%.2f GFLOP/s); pass / sum-of-gemms %.3f%n",
                    pass.millis(), gemms.millis(), 2.0 * madds / (gemms.millis() * 1e6), pass.millis() / gemms.millis()));
        }
        boolean header = false;
        for (Row r : rows) {
            if (r.benchmark().equals("LinalgBenchmark.gemm")) {
                if (!header) {
                    sb.append("square n x n through natgrad's API, 1 thread, ms (gemm also in GFLOP/s):\n");
                    sb.append("      n        gemm  GFLOP/s        syrk       eigen  chol-inverse\n");
                    header = true;
                }
                String n = r.param("n");
                double nn = Double.parseDouble(n);
                sb.append(String.format(Locale.ROOT, "  %5s  %10.4f  %7.2f  %10s  %10s  %12s%n", n, r.millis(),
                        2 * nn * nn * nn / (r.millis() * 1e6), ms(find(rows, "LinalgBenchmark.syrk", Map.of("n", n))),
                        ms(find(rows, "LinalgBenchmark.eigen", Map.of("n", n))),
                        ms(find(rows, "LinalgBenchmark.choleskyInverse", Map.of("n", n)))));
            }
        }
        header = false;
        for (Row nat : rows) {
            if (!nat.benchmark().equals("SmallMatrixBenchmark.run") || !nat.param("impl").equals("native")) {
                continue;
            }
            Row jav = find(rows, "SmallMatrixBenchmark.run", Map.of("impl", "java", "op", nat.param("op")));
            if (jav == null) {
                continue;
            }
            if (!header) {
                sb.append("small products, java / native time (< 1: Java loops faster), 1 thread:\n");
                header = true;
            }
            sb.append(String.format(Locale.ROOT, "  %-18s %9d madds  native %9.3f us  java %9.3f us  java/native %6.2f%n",
                    nat.param("op"), backendMultiplyAdds(nat.param("op")), nat.millis() * 1e3, jav.millis() * 1e3,
                    jav.millis() / nat.millis()));
        }
        header = false;
        for (Row e : rows) {
            if (!e.benchmark().equals("FactorInverseBenchmark.refresh") || !e.param("strategy").equals("EIGEN")) {
                continue;
            }
            String n = e.param("n");
            Row eRedamp = find(rows, "FactorInverseBenchmark.redamp", Map.of("n", n, "strategy", "EIGEN"));
            Row c = find(rows, "FactorInverseBenchmark.refresh", Map.of("n", n, "strategy", "CHOLESKY"));
            Row cRedamp = find(rows, "FactorInverseBenchmark.redamp", Map.of("n", n, "strategy", "CHOLESKY"));
            if (eRedamp == null || c == null || cRedamp == null) {
                continue;
            }
            if (!header) {
                sb.append("factor inverse (A + sI)^-1, A = S S^T, S n x 1000, 1 thread; per-step cost with the damping changing"
                        + " every step, refresh every T steps: (refresh + (T-1) redamp) / T\n");
                sb.append("      n  EIGEN refresh  redamp  CHOLESKY refresh  redamp   T=1: eigen/chol  T=10: eigen/chol\n");
                header = true;
            }
            double e1 = e.millis();
            double c1 = c.millis();
            double e10 = (e.millis() + 9 * eRedamp.millis()) / 10;
            double c10 = (c.millis() + 9 * cRedamp.millis()) / 10;
            sb.append(String.format(Locale.ROOT, "  %5s  %13.3f %7.3f  %16.3f %7.3f  %15.2f  %16.2f%n", n, e.millis(),
                    eRedamp.millis(), c.millis(), cRedamp.millis(), e1 / c1, e10 / c10));
        }
        return sb.toString();
    }

    /** The size measure {@code Backend} routes on for a SmallMatrixBenchmark op. */
    static long backendMultiplyAdds(String op) {
        String[] parts = op.split(":");
        String[] d = parts[1].split("x");
        long p = 1;
        for (String s : d) {
            p *= Long.parseLong(s);
        }
        if (parts[0].equals("syrk")) {
            long n = Long.parseLong(d[0]);
            return n * n * Long.parseLong(d[1]) / 2;
        }
        return p;
    }

    private static String ms(Row r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%.4f", r.millis());
    }

    private static Row find(List<Row> rows, String benchmark, Map<String, String> params) {
        for (Row r : rows) {
            if (r.benchmark().equals(benchmark)
                    && params.entrySet().stream().allMatch(e -> e.getValue().equals(r.param(e.getKey())))) {
                return r;
            }
        }
        return null;
    }
}
