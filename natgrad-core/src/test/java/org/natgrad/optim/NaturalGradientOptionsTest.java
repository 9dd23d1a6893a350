package org.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.linalg.InverseStrategy;

/**
 * The options that only the Eq. 20 representation reads (inverse strategy, factor precision,
 * linear moments) are refused, by name, with every other curvature, through the builder and the
 * {@code with} methods alike; at their defaults they are accepted with every curvature.
 */
class NaturalGradientOptionsTest {

    /** Each Eq. 20-only component, its name in the message and a non-default value. */
    private record Eq20Only(String component, String value, UnaryOperator<NaturalGradientOptions.Builder> set) {
    }

    private static final List<Eq20Only> EQ20_ONLY = List.of(
            new Eq20Only("inverse", "CHOLESKY", b -> b.inverse(InverseStrategy.CHOLESKY)),
            new Eq20Only("factorPrecision", "SINGLE", b -> b.factorPrecision(FactorPrecision.SINGLE)),
            new Eq20Only("linearMoments", "false", b -> b.linearMoments(false)));

    @Test
    void eq20OnlyOptionsAreRefusedWithEveryOtherCurvatureNamingBoth() {
        for (CurvatureChoice c : CurvatureChoice.values()) {
            for (Eq20Only o : EQ20_ONLY) {
                NaturalGradientOptions.Builder b = o.set().apply(NaturalGradientOptions.builder().curvature(c));
                if (c == CurvatureChoice.EQ20) {
                    assertEquals(CurvatureChoice.EQ20, b.build().curvature());
                    continue;
                }
                String m = assertThrows(IllegalArgumentException.class, b::build, c + " " + o.component()).getMessage();
                assertTrue(m.startsWith("NaturalGradientOptions: " + o.component() + " = " + o.value()
                        + " applies only to the Eq. 20 representation"), m);
                assertTrue(m.contains("not to curvature " + c.label()), m);
            }
        }
    }

    @Test
    void theWithMethodsAreValidatedTheSameWayInEitherOrder() {
        NaturalGradientOptions single = NaturalGradientOptions.paperDefaults().withFactorPrecision(FactorPrecision.SINGLE);
        String m = assertThrows(IllegalArgumentException.class, () -> single.withCurvature(CurvatureChoice.KFAC))
                .getMessage();
        assertTrue(m.contains("factorPrecision = SINGLE") && m.contains("curvature kfac"), m);
        NaturalGradientOptions exact = NaturalGradientOptions.paperDefaults().withCurvature(CurvatureChoice.EXACT);
        m = assertThrows(IllegalArgumentException.class, () -> exact.withInverse(InverseStrategy.EIGEN)).getMessage();
        assertTrue(m.contains("inverse = EIGEN") && m.contains("curvature exact"), m);
        m = assertThrows(IllegalArgumentException.class, () -> exact.withLinearMoments(false)).getMessage();
        assertTrue(m.contains("linearMoments = false") && m.contains("curvature exact"), m);
    }

    @Test
    void atTheirDefaultsTheEq20OnlyOptionsGoWithEveryCurvature() {
        for (CurvatureChoice c : CurvatureChoice.values()) {
            NaturalGradientOptions o = NaturalGradientOptions.builder().curvature(c).inverse(InverseStrategy.AUTO)
                    .factorPrecision(FactorPrecision.AUTO).linearMoments(true).pseudoInverse(true).initialDamping(0)
                    .adaptiveDamping(false).refreshEvery(3).dampingEvery(2).build();
            assertEquals(c, o.curvature());
            assertEquals(3, o.refreshEvery());
        }
        // back to the Eq. 20 rule, the options are free again
        NaturalGradientOptions kfac = NaturalGradientOptions.paperDefaults().withCurvature(CurvatureChoice.KFAC);
        assertEquals(InverseStrategy.EIGEN, kfac.toBuilder().curvature(CurvatureChoice.EQ20)
                .inverse(InverseStrategy.EIGEN).build().inverse());
    }
}
