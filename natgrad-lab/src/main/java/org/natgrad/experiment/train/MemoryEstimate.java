package org.natgrad.experiment.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.natgrad.curvature.CurvatureChoice;

/**
 * A lower-bound estimate, in bytes, of the memory a {@code natgrad train} run needs, made before
 * anything is allocated so that an impossible run is refused at once with the numbers instead of
 * ending in an {@link OutOfMemoryError} after minutes. All arrays are float64 (8 bytes); P is the
 * parameter count, Σ over layers i = 1..L with widths n_{i-1} (plus 1 with biases) and n_i.
 *
 * @param weights     the network, its gradient and, for a teacher, the teacher network: 2P or 3P doubles
 * @param optimizer   momentum P (sgd with momentum), m and v 2P (adam); ngd: rollback and direction
 *                    2P plus its curvature: per layer Λ_i, Λ̃_i and two matrices of each size for
 *                    their decompositions (3 ((n_{i-1}+1)^2 + n_i^2)) for the Eq. 20 rule, K-FAC and
 *                    EK-FAC; Σ P_i^2 (block-diagonal), 3 Σ P_i^2 (tri-diagonal), P^2 (exact),
 *                    Σ n_i (n_{i-1}+1)^2 (unit-wise) or P (diagonal), where P_i is layer i's count
 * @param data        inputs and targets of the training and test sets ((n_0 + n_L) (N + N_test));
 *                    for data files, their size on disk
 * @param activations the two widest adjacent layers' outputs over the whole training set (an
 *                    evaluation), and three copies of every layer's activations for one minibatch
 */
public record MemoryEstimate(long weights, long optimizer, long data, long activations) {

    /** Thrown when the estimate exceeds the JVM's maximum heap. */
    public static final class InsufficientMemoryException extends IllegalArgumentException {
        public InsufficientMemoryException(String message) {
            super(message);
        }
    }

    /** The sum of the parts, in bytes. */
    public long total() {
        return weights + optimizer + data + activations;
    }

    /**
     * The estimate for {@code o}.
     *
     * @throws IOException if a data file's size cannot be read
     */
    public static MemoryEstimate of(TrainOptions o) throws IOException {
        List<Integer> w = o.layers();
        int bias = o.bias() ? 1 : 0;
        double p = 0;
        double sumBlockSquares = 0;
        double factors = 0;
        double unitWise = 0;
        double widest = 0;
        double sumWidths = 0;
        for (int i = 1; i < w.size(); i++) {
            double in = w.get(i - 1) + bias;
            double out = w.get(i);
            double pi = in * out;
            p += pi;
            sumBlockSquares += pi * pi;
            factors += 3 * ((w.get(i - 1) + 1.0) * (w.get(i - 1) + 1.0) + out * out);
            unitWise += out * in * in;
            widest = Math.max(widest, w.get(i - 1) + out);
            sumWidths += w.get(i - 1);
        }
        sumWidths += w.get(w.size() - 1);
        boolean teacher = o.data() instanceof DataSource.Teacher;
        double weights = (teacher ? 3 : 2) * p;
        double optimizer = switch (o.optimizer()) {
            case SGD -> o.momentum() > 0 ? p : 0;
            case ADAM -> 2 * p;
            case NGD -> 2 * p + curvature(o.naturalGradient().curvature(), p, sumBlockSquares, factors, unitWise);
        };
        double n;
        double data;
        if (o.data() instanceof DataSource.Teacher t) {
            n = t.trainExamples();
            data = (double) (w.get(0) + w.get(w.size() - 1)) * (t.trainExamples() + t.testExamples()) * 8;
        } else if (o.data() instanceof DataSource.IdxFolder f) {
            // one byte a pixel or label on disk (gzipped files: at least that), eight in memory
            double disk = 0;
            for (String stem : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                    "t10k-labels-idx1-ubyte")) {
                disk += Math.max(size(f.dir().resolve(stem)), size(f.dir().resolve(stem + ".gz")));
            }
            data = 8 * disk;
            n = data / 8 / (w.get(0) + 1);
        } else {
            DataSource.NpzFiles f = (DataSource.NpzFiles) o.data();
            data = size(f.train()) + (f.test() == null ? 0 : size(f.test()));
            n = data / 8 / (w.get(0) + w.get(w.size() - 1));
        }
        double activations = widest * n + 3 * sumWidths * o.batchSize();
        return new MemoryEstimate(bytes(8 * weights), bytes(8 * optimizer), bytes(data), bytes(8 * activations));
    }

    private static double curvature(CurvatureChoice c, double p, double blocks, double factors, double unitWise) {
        if (c == null) {
            return factors;
        }
        return switch (c) {
            case EXACT -> p * p;
            case BLOCK_DIAGONAL -> blocks;
            case BLOCK_TRIDIAGONAL -> 3 * blocks;
            case EQ20, KFAC, EKFAC -> factors;
            case UNIT_WISE -> unitWise;
            case DIAGONAL -> p;
        };
    }

    private static double size(Path f) throws IOException {
        return Files.isRegularFile(f) ? Files.size(f) : 0; // a missing file is reported by the reader
    }

    private static long bytes(double b) {
        return b >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(b);
    }

    /**
     * Refuses the run when the estimate exceeds {@code maxHeap} bytes.
     *
     * @throws InsufficientMemoryException with the estimate, its parts and the heap size
     */
    public void check(long maxHeap, List<Integer> layers) {
        double total = (double) weights + optimizer + data + activations;
        if (total > maxHeap) {
            throw new InsufficientMemoryException(String.format(Locale.ROOT, "the network %s needs about %s "
                    + "(weights and gradient %s, optimizer and curvature %s, data %s, activations %s) but this JVM may "
                    + "use at most %s: use fewer or narrower layers, or raise the heap (e.g. NATGRAD_JAVA_OPTS=-Xmx16g "
                    + "for ./natgrad)", TrainData.widths(layers), gib(total), gib(weights), gib(optimizer), gib(data),
                    gib(activations), gib(maxHeap)));
        }
    }

    private static String gib(double b) {
        return String.format(Locale.ROOT, "%.3g GiB", b / (1L << 30));
    }
}
