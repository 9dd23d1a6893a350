package org.natgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.nn.Batch;
import org.natgrad.data.Dataset;
import org.natgrad.data.Teacher;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.optim.Sgd;
import org.natgrad.random.Rng;

/** The README's Java quick-start, verbatim, and a check that the README still shows this code. */
class QuickStartTest {

    /**
     * The README's "swap SGD for the natural gradient" snippet, as shown there: on the quick start's
     * data, one epoch of M = 200 must cut the test loss at least 10x (two SGD epochs cut it ~50x).
     */
    @Test
    void theNaturalGradientSnippetRunsAndLowersTheLoss() {
        List<Integer> widths = List.of(20, 30, 20);
        Teacher teacher = Teacher.create(widths, Activation.TANH, Activation.IDENTITY, Teacher.Options.paper(), 1);
        Dataset train = teacher.sample(10_000, new Rng(2));
        Dataset test = teacher.sample(1_000, new Rng(3));
        Gaussian likelihood = Gaussian.unit();
        // BEGIN NGD SNIPPET
        var ngd = new NaturalGradient(likelihood, NaturalGradientOptions.paperDefaults());      // Eq. 20-21
        var kfac = new NaturalGradient(likelihood, NaturalGradientOptions.paperDefaults()
                .withCurvature(CurvatureChoice.KFAC));                                           // K-FAC
        // END NGD SNIPPET
        for (var opt : List.of(ngd, kfac)) {
            Network net = Network.dense(widths, Activation.TANH, Activation.IDENTITY, true, Init.gaussian(), 4);
            double before = likelihood.loss(net.predict(test.inputs()), test.targets());
            Rng order = new Rng(5);
            for (int epoch = 0; epoch < 3; epoch++) {
                for (Batch batch : train.epoch(200, order, true)) {
                    opt.step(net, batch);
                }
                System.out.println("epoch " + epoch + " " + likelihood.loss(net.predict(test.inputs()), test.targets()));
            }
            double after = likelihood.loss(net.predict(test.inputs()), test.targets());
            assertTrue(after < before / 10, (opt == ngd ? "ngd" : "kfac") + ": test loss " + before + " -> " + after);
        }
    }

    @Test
    void theReadmeShowsTheNaturalGradientSnippet() throws Exception {
        String readme = Files.readString(findReadme());
        String src = Files.readString(Path.of("src/test/java/org/natgrad/QuickStartTest.java"));
        String snippet = src.substring(src.indexOf("// BEGIN NGD SNIPPET") + "// BEGIN NGD SNIPPET".length(),
                src.indexOf("        // END NGD SNIPPET"));
        for (String line : snippet.strip().split("\n")) {
            assertTrue(readme.contains(line.strip()), "README lacks the snippet line: " + line.strip());
        }
    }

    @Test
    void quickStartTrainsAndTheLossDrops() {
        // BEGIN QUICKSTART
        List<Integer> widths = List.of(20, 30, 20);
        Teacher teacher = Teacher.create(widths, Activation.TANH, Activation.IDENTITY, Teacher.Options.paper(), 1);
        Dataset train = teacher.sample(10_000, new Rng(2));
        Dataset test = teacher.sample(1_000, new Rng(3));

        Network net = Network.dense(widths, Activation.TANH, Activation.IDENTITY, true, Init.gaussian(), 4);
        Gaussian likelihood = Gaussian.unit();                 // loss ½‖y − f‖² per example
        Sgd sgd = new Sgd(likelihood, 0.05);
        Rng order = new Rng(5);

        double before = likelihood.loss(net.predict(test.inputs()), test.targets());
        for (int epoch = 0; epoch < 2; epoch++) {
            for (Batch batch : train.epoch(20, order, true)) {  // 20 examples per step, as columns
                sgd.step(net, batch);
            }
        }
        double after = likelihood.loss(net.predict(test.inputs()), test.targets());
        System.out.printf("test loss %.4f -> %.4f%n", before, after);
        // END QUICKSTART
        assertTrue(after < before / 10, "two epochs of SGD cut the test loss tenfold: " + before + " -> " + after);
        assertTrue(after > teacher.minimumAchievableError(), "but not below the noise floor");
    }

    @Test
    void readmeShowsExactlyThisCode() throws Exception {
        Path readme = findReadme();
        String md = Files.readString(readme);
        Matcher m = Pattern.compile("(?s)<!-- quickstart -->\\s*```java\\n(.*?)```").matcher(md);
        assertTrue(m.find(), readme + " has no ```java block after <!-- quickstart -->");
        String shown = m.group(1).strip();
        String src = Files.readString(Path.of("src/test/java/org/natgrad/QuickStartTest.java"));
        String body = src.substring(src.indexOf("// BEGIN QUICKSTART") + "// BEGIN QUICKSTART".length(),
                src.indexOf("        // END QUICKSTART"));
        String code = body.lines().map(l -> l.startsWith("        ") ? l.substring(8) : l).reduce("",
                (a, b) -> a + b + "\n").strip();
        // the README shows the imports above the same statements
        assertTrue(shown.endsWith(code), "README quick-start differs from QuickStartTest:\n--- README:\n" + shown
                + "\n--- test:\n" + code);
        for (String imp : List.of("Batch", "Dataset", "Teacher", "Gaussian", "Activation", "Init", "Network", "Sgd", "Rng")) {
            assertTrue(shown.contains("." + imp + ";"), "README imports " + imp);
        }
        assertEquals(1, countOccurrences(md, "<!-- quickstart -->"));
    }

    private static Path findReadme() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p.resolve("README.md");
            }
        }
        throw new AssertionError("README.md not found above " + Path.of("").toAbsolutePath());
    }

    private static int countOccurrences(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }
}
