package org.natgrad.experiment.train;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.nio.file.Path;
import java.util.Objects;

/** Where the training and test examples come from. Written to options.json with a "kind" tag. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = DataSource.Teacher.class, name = "teacher"),
        @JsonSubTypes.Type(value = DataSource.NpzFiles.class, name = "npz"),
        @JsonSubTypes.Type(value = DataSource.IdxFolder.class, name = "idx")})
public sealed interface DataSource permits DataSource.Teacher, DataSource.NpzFiles, DataSource.IdxFolder {

    /**
     * A folder with the four IDX files of MNIST or Fashion-MNIST ({@code train-images-idx3-ubyte},
     * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte},
     * plain or {@code .gz}, as {@link org.natgrad.data.FashionMnist#load} reads them): inputs are the
     * H·W pixels in [0, 1] of each one-channel image (an image of shape 1 x H x W, row-major), targets
     * one-hot over the 10 labels; the t10k files are the test set.
     */
    record IdxFolder(Path dir) implements DataSource {
        public IdxFolder {
            Objects.requireNonNull(dir, "IDX folder");
        }
    }

    /**
     * A random teacher network of the student's architecture labels Gaussian inputs
     * (math.md §2.8): {@code trainExamples} and {@code testExamples} drawn independently,
     * targets = teacher output + N(0, noiseVariance I).
     */
    record Teacher(int trainExamples, int testExamples, double noiseVariance) implements DataSource {
        public Teacher {
            if (trainExamples < 1) {
                throw new IllegalArgumentException("teacher examples must be >= 1, got " + trainExamples);
            }
            if (testExamples < 1) {
                throw new IllegalArgumentException("test examples must be >= 1, got " + testExamples);
            }
            if (!(noiseVariance >= 0) || Double.isInfinite(noiseVariance)) {
                throw new IllegalArgumentException("noise variance must be finite and >= 0, got " + noiseVariance);
            }
        }

        /** The 2018 paper's set-up: 10 000 training and 1 000 test examples, noise variance 1e-6. */
        public static Teacher paper() {
            return new Teacher(10_000, 1_000, 1e-6);
        }
    }

    /**
     * Data set files in the NPZ layout of {@code org.natgrad.data.DatasetFiles}: arrays {@code x}
     * (N x n_0) and {@code y} (N x n_L), one example per row. The test set is {@code test} if
     * given ({@code testFraction} then 0), else a random {@code testFraction} of the training
     * file's examples (at least one, drawn with the run's data seed) held out from training.
     * Examples holding NaN or infinity are refused with their location, or dropped (and counted in
     * the report) when {@code dropNonFinite} is set.
     */
    record NpzFiles(Path train, Path test, double testFraction, boolean dropNonFinite) implements DataSource {
        public NpzFiles {
            Objects.requireNonNull(train, "data file");
            if (test != null && testFraction != 0) {
                throw new IllegalArgumentException("give a test file or a test fraction, not both (test fraction "
                        + testFraction + ")");
            }
            if (test == null && !(testFraction > 0 && testFraction < 1)) {
                throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
            }
        }

        /** Training and test files. */
        public static NpzFiles of(Path train, Path test) {
            return new NpzFiles(train, test, 0, false);
        }

        /** One file, with {@code fraction} of it held out for testing. */
        public static NpzFiles holdOut(Path file, double fraction) {
            return new NpzFiles(file, null, fraction, false);
        }

        /** The same files, dropping (v = true) or refusing examples with NaN or infinity. */
        public NpzFiles withDropNonFinite(boolean v) {
            return new NpzFiles(train, test, testFraction, v);
        }
    }
}
