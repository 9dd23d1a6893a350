package org.natgrad.experiment.train;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.nio.file.Path;
import java.util.Objects;

/** Where the training and test examples come from. Written to options.json with a "kind" tag. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = DataSource.Teacher.class, name = "teacher"),
        @JsonSubTypes.Type(value = DataSource.NpzFile.class, name = "npz")})
public sealed interface DataSource permits DataSource.Teacher, DataSource.NpzFile {

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

    /** A data set file in NPZ form (see {@code org.natgrad.data.DatasetFiles} for the arrays it holds). */
    record NpzFile(Path file) implements DataSource {
        public NpzFile {
            Objects.requireNonNull(file, "data file");
        }
    }
}
