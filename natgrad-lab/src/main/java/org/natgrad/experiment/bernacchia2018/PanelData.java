package org.natgrad.experiment.bernacchia2018;

import java.util.List;
import org.natgrad.data.Dataset;
import org.natgrad.data.Teacher;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/**
 * The training and test sets of one panel, and the "minimum achievable" test error drawn as the
 * dashed line.
 *
 * @param train                 training examples (columns)
 * @param test                  test examples (columns)
 * @param minAchievable         the teacher's own error on this test set (A–C), or null (D)
 * @param minAchievableExpected its expectation ½ n_L σ² (A–C), or null (D)
 * @param description           one line for the report
 * @param teacher               the teacher (A–C; null for D)
 */
public record PanelData(Dataset train, Dataset test, Double minAchievable, Double minAchievableExpected,
                        String description, Teacher teacher) {

    /**
     * Teacher data for a linear panel: a random teacher of the panel's architecture (no biases,
     * weights N(0, 1/n_in)), inputs N(0, Σ) with the paper's spectrum, targets with noise of
     * variance {@link PanelSpec#noiseVariance()}; the teacher and input covariance come from
     * {@code seed}, then the training and then the test examples from {@code sampleRng}.
     */
    public static PanelData teacher(PanelSpec spec, long seed, Rng sampleRng) {
        if (!spec.panel().isLinear()) {
            throw new IllegalArgumentException("PanelData.teacher: panel " + spec.panel() + " is not a teacher panel");
        }
        Teacher t = Teacher.create(spec.widths(), spec.hidden(), spec.output(),
                Teacher.Options.paper().withNoiseVariance(spec.noiseVariance()), seed);
        Dataset train = t.sample(spec.trainExamples(), sampleRng);
        Dataset test = t.sample(spec.testExamples(), sampleRng);
        double own = TrainingRun.testError(t.network(), test);
        String d = "teacher " + join(spec.widths()) + " (linear), x ~ N(0, Σ) with eigenvalues ∝ 1e-3 + exp(-5i/n0), "
                + "noise variance " + spec.noiseVariance() + ", " + spec.trainExamples() + " train / "
                + spec.testExamples() + " test examples";
        return new PanelData(train, test, own, t.minimumAchievableError(), d, t);
    }

    /** The teacher's end-to-end map W* = W_L ... W_1 (n_L x n_0), for a linear bias-free teacher. */
    public Matrix teacherMap() {
        if (teacher == null) {
            throw new IllegalStateException("PanelData: no teacher for this panel");
        }
        return teacher.network().predict(Matrix.identity(teacher.network().inputSize())).copy();
    }

    static String join(List<Integer> widths) {
        return String.join("-", widths.stream().map(String::valueOf).toList());
    }
}
