package org.natgrad.experiment.train;

import java.io.IOException;
import org.natgrad.nn.ModelSpec;
import java.util.List;
import org.natgrad.nn.Batch;
import org.natgrad.data.Dataset;
import org.natgrad.data.DatasetFiles;
import org.natgrad.data.NonFinitePolicy;
import org.natgrad.data.Teacher;
import org.natgrad.random.Rng;

/**
 * The training and test sets of a run, made from a {@link DataSource} and checked against the
 * network's input and output widths.
 *
 * @param train       training examples (columns)
 * @param test        test examples (columns)
 * @param description one line for reports, e.g. "teacher 20-30-20 (tanh), 10000 train / 1000 test"
 */
public record TrainData(Dataset train, Dataset test, String description) {

    /**
     * Builds or reads the data for {@code options}. A teacher is drawn from {@code seed}
     * (weights and input covariance), then the training and then the test examples.
     *
     * @throws IOException              if a data file cannot be read
     * @throws IllegalArgumentException if the data's widths do not match the layers
     */
    public static TrainData load(TrainOptions options, long seed) throws IOException {
        TrainData d;
        if (options.data() instanceof DataSource.Teacher t) {
            Teacher teacher = Teacher.create(options.layers(), options.activation(), options.outputActivation(),
                    Teacher.Options.paper().withNoiseVariance(t.noiseVariance()).withBias(options.bias()), seed);
            Rng rng = new Rng(seed ^ 0x5DEECE66DL);
            Dataset train = teacher.sample(t.trainExamples(), rng);
            Dataset test = teacher.sample(t.testExamples(), rng);
            d = new TrainData(train, test, "teacher " + widths(options.layers()) + " (" + options.activation().label()
                    + "), noise variance " + t.noiseVariance() + ", " + t.trainExamples() + " train / "
                    + t.testExamples() + " test examples");
        } else if (options.data() instanceof DataSource.NpzFiles f) {
            NonFinitePolicy policy = f.dropNonFinite() ? NonFinitePolicy.DROP_ROWS : NonFinitePolicy.REFUSE;
            DatasetFiles.Loaded train = DatasetFiles.read(f.train(), policy);
            Dataset all = train.dataset();
            String trainName = f.train() + dropped(train);
            if (f.test() != null) {
                DatasetFiles.Loaded test = DatasetFiles.read(f.test(), policy);
                d = new TrainData(all, test.dataset(), trainName + " (" + all.size() + " examples), test " + f.test()
                        + dropped(test) + " (" + test.dataset().size() + " examples)");
            } else {
                d = holdOut(all, f.testFraction(), new Rng(seed), trainName);
            }
        } else if (options.data() instanceof DataSource.IdxFolder f) {
            int[] image = {1, 28, 28}; // the only image size Idx.images reads (MNIST, Fashion-MNIST)
            ModelSpec spec = options.modelSpec();
            if (spec != null && !java.util.Arrays.equals(spec.inputShape(), image)) {
                throw new IllegalArgumentException("the IDX images in " + f.dir() + " have the shape " + shape(image)
                        + " but the model '" + options.model() + "' takes an input of shape " + shape(spec.inputShape()));
            }
            org.natgrad.data.FashionMnist.Split split = org.natgrad.data.FashionMnist.load(f.dir());
            d = new TrainData(split.train(), split.test(), "IDX images " + shape(image) + " in " + f.dir() + " ("
                    + split.train().size() + " train / " + split.test().size() + " test examples)");
        } else {
            throw new IllegalArgumentException("unknown data source " + options.data());
        }
        d.check(options);
        return d;
    }

    private static String dropped(DatasetFiles.Loaded l) {
        return l.droppedRows() == 0 ? "" : " [" + l.droppedRows() + " examples with NaN/Inf dropped]";
    }

    /**
     * Splits {@code all} at random: round(fraction x N) examples (at least 1) for testing, the
     * rest (at least 1) for training, each in the original order.
     */
    static TrainData holdOut(Dataset all, double fraction, Rng rng, String name) {
        int n = all.size();
        int k = (int) Math.max(1, Math.round(fraction * n));
        if (n - k < 1) {
            throw new IllegalArgumentException(name + ": " + n + " examples are too few to hold out a test fraction of "
                    + fraction);
        }
        int[] perm = rng.permutation(n);
        int[] test = java.util.Arrays.copyOfRange(perm, 0, k);
        int[] train = java.util.Arrays.copyOfRange(perm, k, n);
        java.util.Arrays.sort(test);
        java.util.Arrays.sort(train);
        Batch tr = all.select(train);
        Batch te = all.select(test);
        return new TrainData(new Dataset(tr.inputs(), tr.targets()), new Dataset(te.inputs(), te.targets()),
                name + ": " + n + " examples, " + k + " held out at random for testing");
    }

    private void check(TrainOptions o) {
        int n0 = o.layers().get(0);
        int nl = o.layers().get(o.layers().size() - 1);
        String trainFile = o.data() instanceof DataSource.NpzFiles f ? " " + f.train() : "";
        String testFile = o.data() instanceof DataSource.NpzFiles f ? " " + (f.test() != null ? f.test() : f.train()) : "";
        String net = o.model() == null ? "the layers " + widths(o.layers()) + " take " + n0 + " and give " + nl
                : "the model '" + o.model() + "' takes " + n0 + " (an input of shape " + shape(o.modelSpec().inputShape())
                + ") and gives " + nl;
        if (train.inputSize() != n0 || train.targetSize() != nl) {
            throw new IllegalArgumentException("data" + trainFile + " has " + train.inputSize() + " inputs and " + train.targetSize()
                    + " targets per example but " + net);
        }
        if (test.inputSize() != n0 || test.targetSize() != nl) {
            throw new IllegalArgumentException("test data" + testFile + " has " + test.inputSize() + " inputs and " + test.targetSize()
                    + " targets per example but " + net);
        }
        if (o.batchSize() > train.size()) {
            throw new IllegalArgumentException("batch size " + o.batchSize() + " exceeds the " + train.size()
                    + " training examples");
        }
    }

    /** "1x28x28" for (1, 28, 28). */
    static String shape(int[] s) {
        StringBuilder b = new StringBuilder();
        for (int d : s) {
            b.append(b.length() == 0 ? "" : "x").append(d);
        }
        return b.toString();
    }

    static String widths(List<Integer> layers) {
        return String.join("-", layers.stream().map(String::valueOf).toList());
    }
}
