package org.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.optim.OptimizerFeatures;
import picocli.CommandLine;

/** kfac-jax's optimizer-feature flags of {@code natgrad train}: one mapping onto {@link OptimizerFeatures}. */
class NgdFeatureFlagsTest {

    private static TrainCommand train(String... args) {
        List<String> all = new ArrayList<>(List.of("train", "--layers", "4,3", "--optimizer", "ngd", "--out", "unused"));
        all.addAll(List.of(args));
        CommandLine.ParseResult pr = NatgradCommand.commandLine().parseArgs(all.toArray(String[]::new));
        return pr.subcommand().commandSpec().commandLine().getCommand();
    }

    @Test
    void everyFlagMapsOntoItsFeature() {
        OptimizerFeatures f = train("--curvature", "kfac", "--factor-decay", "0.95", "--curvature-every", "2",
                "--inverse-every", "5", "--damping-rule", "quadratic", "--damping-adapt-every", "3", "--adaptive-lr-momentum",
                "--weight-decay", "1e-5", "--burnin", "4").options().features();
        OptimizerFeatures expected = OptimizerFeatures.builder().factorDecay(0.95).curvatureEvery(2).inverseEvery(5)
                .dampingRule(OptimizerFeatures.DampingRule.QUADRATIC_MODEL).dampingAdaptEvery(3).adaptiveLrMomentum(true)
                .weightDecay(1e-5).burnin(4).build();
        assertEquals(expected, f);
        assertEquals(Math.pow(0.95, 3), f.dampingDecay(), 1e-15);
        OptimizerFeatures g = train("--momentum-ngd", "0.9", "--norm-constraint", "0.01").options().features();
        assertEquals(0.9, g.momentum());
        assertEquals(0.01, g.normConstraint());
        assertTrue(train().options().features().allOff(), "no flag: everything off");
    }

    @Test
    void badValuesAreRefusedNamingTheFlag() {
        Exception e = assertThrows(Exception.class,
                () -> train("--damping-rule", "fast").options());
        assertTrue(e.getMessage().contains("--damping-rule"), e.getMessage());
        Exception d = assertThrows(Exception.class,
                () -> train("--factor-decay", "1.5").options());
        assertTrue(d.getMessage().contains("factorDecay"), d.getMessage());
    }
}
