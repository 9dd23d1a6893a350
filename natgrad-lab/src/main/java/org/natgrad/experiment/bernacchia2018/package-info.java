/**
 * Reproduction of Figure 1 of Bernacchia, Lengyel &amp; Hennequin (NeurIPS 2018): SGD against
 * online natural gradient (Eq. 20 with the adaptive damping of Eq. 21) on three deep linear
 * networks trained on teacher data (panels A square, B non-square, C bottleneck) and a tanh
 * autoencoder on MNIST digits (panel D). Set-up: math.md §2.7–2.9; user guide:
 * docs/bernacchia2018.md.
 *
 * <p>Pieces, each with one job: {@link org.natgrad.experiment.bernacchia2018.Panel} and
 * {@link org.natgrad.experiment.bernacchia2018.PanelSpec} (what each panel trains, with paper and
 * quick settings), {@link org.natgrad.experiment.bernacchia2018.Bernacchia2018Options} (the
 * validated options record written to options.json),
 * {@link org.natgrad.experiment.bernacchia2018.TrainingRun} (the set-up of the one
 * {@link org.natgrad.experiment.training.Trainer} loop for a panel: random minibatches, test error
 * against examples and training-only wall-clock),
 * {@link org.natgrad.experiment.bernacchia2018.SgdGridSearch},
 * {@link org.natgrad.experiment.bernacchia2018.Milestones} (examples and seconds to 2x / 10x the
 * minimum achievable error, read off a curve), and the writers of log.csv, results.json,
 * report.md and the figure.
 */
package org.natgrad.experiment.bernacchia2018;
