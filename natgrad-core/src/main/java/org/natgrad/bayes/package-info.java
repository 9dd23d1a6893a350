/**
 * Directed networks of stochastic units (sigmoid belief networks with {0,1} or ±1 units) and
 * the two Fisher geometries of Ay (2020), math.md §5: the full-system Fisher metric G, which is
 * block-diagonal with one local block G_r per unit, and the visible-subsystem Fisher metric G_V,
 * which is dense.
 *
 * <ul>
 *   <li>{@link org.natgrad.bayes.Dag}: units, parent sets, visible set (validated);</li>
 *   <li>{@link org.natgrad.bayes.BayesNet}: a Dag with one parameter block per unit, ancestral
 *       sampling and scores;</li>
 *   <li>{@link org.natgrad.bayes.Enumeration}: exact joint, visible marginal, posteriors, G, G_r,
 *       G_V, E Cov(s|v), KL and gradients for networks of at most
 *       {@value org.natgrad.bayes.Enumeration#MAX_UNITS} units, all in log space;</li>
 *   <li>{@link org.natgrad.bayes.LocalFisher}: the block-diagonal full-system metric, exact or
 *       estimated from samples with the analytic weight σ(1−σ);</li>
 *   <li>{@link org.natgrad.bayes.RecognitionNet}: a bottom-up recognition model q(h|v);</li>
 *   <li>{@link org.natgrad.bayes.LearningRule}: plain gradient, visible natural gradient, local
 *       natural gradient with the exact posterior, and wake–sleep (our reconstruction of
 *       math.md §5.4) with and without local natural-gradient preconditioning.</li>
 * </ul>
 *
 * <p>State conventions: a joint state of n ≤ {@value org.natgrad.bayes.Enumeration#MAX_UNITS}
 * units is an int whose bit r is 1 when unit r is "on" (value 1 for {0,1} units, +1 for ±1
 * units). A visible configuration is an int whose bit j is the state of the j-th visible unit
 * (visible units in ascending unit index). Samples are columns: an n x M matrix of unit values.
 */
package org.natgrad.bayes;
