/**
 * {@code natgrad reproduce ay2020}: the learning rules of Ay (2020), math.md §5, on the 7-unit
 * network of §5.5 with a random visible target and on 3x3 bars and stripes under two hidden
 * layers. Every rule is run at each learning rate of a small grid from the same initial
 * parameters; the best rate (lowest KL after the fixed number of iterations) is plotted and
 * reported, all rates are logged. KL(p*_V ‖ p_V) is evaluated exactly by enumeration outside the
 * timed steps; the cost per step is measured separately by interleaving the rules' steps
 * round-robin, so that load on the machine affects every rule alike. See docs/ay2020.md.
 */
package org.natgrad.experiment.ay2020;
