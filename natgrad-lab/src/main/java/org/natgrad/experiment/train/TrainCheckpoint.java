package org.natgrad.experiment.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.natgrad.data.Dataset;
import org.natgrad.io.FileFormatException;
import org.natgrad.io.ModelFiles;
import org.natgrad.io.Npz;
import org.natgrad.io.NpyArray;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Network;

/**
 * Everything a killed {@code natgrad train} run needs to continue bit-for-bit, stored as
 * {@code checkpoint.npz} in the run folder beside {@code options.json}: the weights (W1, b1, ...
 * as in {@link ModelFiles}), the optimizer's state ({@link org.natgrad.optim.Optimizer#saveState()},
 * keys {@code opt_*}), and the training loop's own state (keys {@code ckpt_*}):
 * <ul>
 *   <li>{@code ckpt_step}, {@code ckpt_seen}: steps taken and examples processed;</li>
 *   <li>{@code ckpt_epoch_rng}: the minibatch-order random stream as it was when the current
 *       epoch's permutation was drawn (6 words as 12 unsigned 32-bit halves), and
 *       {@code ckpt_batches_into_epoch}: how many of that epoch's minibatches were taken;</li>
 *   <li>{@code ckpt_log_rows}: rows of log.csv written so far (rows after them are dropped on
 *       resume); {@code ckpt_rejected}: rejected steps so far;</li>
 *   <li>{@code ckpt_batch_loss}: [sum, count] of minibatch losses since the last log row;
 *       {@code ckpt_losses}: [initial test loss, best test loss];</li>
 *   <li>{@code ckpt_nanos}: [nanoseconds in optimizer steps, wall nanoseconds] so far;</li>
 *   <li>{@code ckpt_data}: a CRC-32 of the training and test sets' values and shapes, so a resume
 *       against different data is refused rather than silently continued.</li>
 * </ul>
 * Integers are stored as float64 (exact below 2^53). The file is written atomically (temp file,
 * then rename), so a kill at any moment leaves the previous checkpoint or the new one, never a
 * mixture.
 */
public record TrainCheckpoint(long step, long seen, long[] epochRng, long batchesIntoEpoch, int logRows,
                              long rejected, double batchLossSum, int batchLossCount, double initialTest,
                              double bestTest, long trainNanos, long wallNanos, long dataCrc,
                              Map<String, double[]> optimizerState) {

    /** The file name in the run folder. */
    public static final String FILE = "checkpoint.npz";

    public TrainCheckpoint {
        if (epochRng == null || epochRng.length != 6) {
            throw new IllegalArgumentException("TrainCheckpoint: the epoch random state must have 6 words");
        }
        epochRng = epochRng.clone();
        optimizerState = Map.copyOf(optimizerState);
    }

    /** Writes the checkpoint with the network's weights to {@code file}, atomically. */
    public void save(Path file, Network net) throws IOException {
        save(file, net, null);
    }

    /**
     * As {@link #save(Path, Network)}; with a non-null {@code spec} the weights are written in its
     * PyTorch state_dict layout ({@link ModelFiles#stateDict}, keys {@code <i>.weight}, {@code <i>.bias}).
     */
    public void save(Path file, Network net, org.natgrad.nn.ModelSpec spec) throws IOException {
        Map<String, double[]> extra = new LinkedHashMap<>(optimizerState);
        extra.put("ckpt_step", new double[] {step});
        extra.put("ckpt_seen", new double[] {seen});
        extra.put("ckpt_epoch_rng", words(epochRng));
        extra.put("ckpt_batches_into_epoch", new double[] {batchesIntoEpoch});
        extra.put("ckpt_log_rows", new double[] {logRows});
        extra.put("ckpt_rejected", new double[] {rejected});
        extra.put("ckpt_batch_loss", new double[] {batchLossSum, batchLossCount});
        extra.put("ckpt_losses", new double[] {initialTest, bestTest});
        extra.put("ckpt_nanos", new double[] {trainNanos, wallNanos});
        extra.put("ckpt_data", new double[] {dataCrc});
        if (spec == null) {
            ModelFiles.saveWithState(file, net, extra);
        } else {
            Map<String, org.natgrad.io.NpyArray> arrays = ModelFiles.stateDict(spec, net);
            extra.forEach((k, v) -> arrays.put(k, org.natgrad.io.NpyArray.of(v)));
            org.natgrad.io.Npz.write(file, arrays);
        }
    }

    /** A checkpoint read back, with the weights it holds. */
    public record Loaded(TrainCheckpoint checkpoint, Map<String, NpyArray> weights) {
    }

    /**
     * Reads {@code file}.
     *
     * @throws NoSuchFileException if there is none ("no such file: ...")
     * @throws FileFormatException naming the file and the missing or malformed entry
     */
    public static Loaded load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file: " + file
                    + " (the run wrote no checkpoint; see --checkpoint-every)");
        }
        Map<String, NpyArray> all = Npz.read(file, false);
        Map<String, NpyArray> weights = new LinkedHashMap<>();
        Map<String, double[]> opt = new LinkedHashMap<>();
        Map<String, double[]> loop = new LinkedHashMap<>();
        for (Map.Entry<String, NpyArray> e : all.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("ckpt_")) {
                loop.put(k, e.getValue().data());
            } else if (k.startsWith("opt_")) {
                opt.put(k, e.getValue().data());
            } else {
                weights.put(k, e.getValue());
            }
        }
        String src = file.toString();
        double[] batchLoss = require(loop, "ckpt_batch_loss", 2, src);
        double[] losses = require(loop, "ckpt_losses", 2, src);
        double[] nanos = require(loop, "ckpt_nanos", 2, src);
        TrainCheckpoint c = new TrainCheckpoint(integer(loop, "ckpt_step", src), integer(loop, "ckpt_seen", src),
                unwords(require(loop, "ckpt_epoch_rng", 12, src), src), integer(loop, "ckpt_batches_into_epoch", src),
                intValue(integer(loop, "ckpt_log_rows", src), "ckpt_log_rows", src), integer(loop, "ckpt_rejected", src),
                batchLoss[0], intValue(integerValue(batchLoss[1], "ckpt_batch_loss", src), "ckpt_batch_loss", src),
                losses[0], losses[1],
                integerValue(nanos[0], "ckpt_nanos", src), integerValue(nanos[1], "ckpt_nanos", src),
                integer(loop, "ckpt_data", src), opt);
        if (c.step < 0 || c.seen < 0 || c.batchesIntoEpoch < 0 || c.logRows < 1 || c.rejected < 0
                || c.rejected > c.step) {
            throw new FileFormatException(src, -1, "inconsistent checkpoint counters (step " + c.step + ", seen "
                    + c.seen + ", batches into epoch " + c.batchesIntoEpoch + ", log rows " + c.logRows
                    + ", rejected " + c.rejected + ")");
        }
        return new Loaded(c, weights);
    }

    /** CRC-32 of both sets' shapes and values (IEEE bits, column-major). */
    public static long dataCrc(Dataset train, Dataset test) {
        CRC32 crc = new CRC32();
        ByteBuffer buf = ByteBuffer.allocate(8 * 4096);
        for (Matrix m : new Matrix[] {train.inputs(), train.targets(), test.inputs(), test.targets()}) {
            buf.clear();
            buf.putLong(m.rows()).putLong(m.cols());
            double[] d = m.data();
            for (int i = 0; i < d.length; i++) {
                if (!buf.hasRemaining()) {
                    crc.update(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putDouble(d[i]);
            }
            crc.update(buf.array(), 0, buf.position());
        }
        return crc.getValue();
    }

    private static double[] words(long[] w) {
        double[] d = new double[2 * w.length];
        for (int i = 0; i < w.length; i++) {
            d[2 * i] = w[i] >>> 32;
            d[2 * i + 1] = w[i] & 0xFFFFFFFFL;
        }
        return d;
    }

    private static long[] unwords(double[] d, String src) throws FileFormatException {
        long[] w = new long[d.length / 2];
        for (int i = 0; i < w.length; i++) {
            for (double half : new double[] {d[2 * i], d[2 * i + 1]}) {
                if (!(half >= 0 && half <= 0xFFFFFFFFL) || half != Math.rint(half)) {
                    throw new FileFormatException(src, -1, "ckpt_epoch_rng holds " + half
                            + ", expected integers in [0, 2^32)");
                }
            }
            w[i] = ((long) d[2 * i] << 32) | (long) d[2 * i + 1];
        }
        return w;
    }

    private static double[] require(Map<String, double[]> m, String key, int n, String src) throws FileFormatException {
        double[] v = m.get(key);
        if (v == null) {
            throw new FileFormatException(src, -1, "missing '" + key + "' (not a natgrad train checkpoint?)");
        }
        if (v.length != n) {
            throw new FileFormatException(src, -1, "'" + key + "' has " + v.length + " values, expected " + n);
        }
        return v;
    }

    private static long integer(Map<String, double[]> m, String key, String src) throws FileFormatException {
        return integerValue(require(m, key, 1, src)[0], key, src);
    }

    /** An int counter: no silent wrap-around of a larger value, no negative count. */
    private static int intValue(long v, String key, String src) throws FileFormatException {
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new FileFormatException(src, -1, "'" + key + "' holds the count " + v + ", expected 0.."
                    + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    private static long integerValue(double v, String key, String src) throws FileFormatException {
        if (v != Math.rint(v) || !(Math.abs(v) <= 0x1p53)) {
            throw new FileFormatException(src, -1, "'" + key + "' must hold integers, got " + v);
        }
        return (long) v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainCheckpoint c && c.step == step && c.seen == seen && Arrays.equals(c.epochRng, epochRng)
                && c.batchesIntoEpoch == batchesIntoEpoch && c.logRows == logRows && c.rejected == rejected
                && Double.compare(c.batchLossSum, batchLossSum) == 0 && c.batchLossCount == batchLossCount
                && Double.compare(c.initialTest, initialTest) == 0 && Double.compare(c.bestTest, bestTest) == 0
                && c.trainNanos == trainNanos && c.wallNanos == wallNanos && c.dataCrc == dataCrc
                && c.optimizerState.keySet().equals(optimizerState.keySet())
                && optimizerState.keySet().stream().allMatch(k -> Arrays.equals(c.optimizerState.get(k),
                optimizerState.get(k)));
    }

    @Override
    public int hashCode() {
        return Long.hashCode(step) * 31 + Arrays.hashCode(epochRng);
    }
}
