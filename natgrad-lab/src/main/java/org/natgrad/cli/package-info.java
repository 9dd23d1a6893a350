/**
 * The {@code natgrad} command line (picocli): {@link org.natgrad.cli.NatgradCommand} holds the
 * global options ({@code --threads}, {@code --seed}, {@code --verbose}) and the subcommand list;
 * each subcommand maps its flags onto an options record and runs an experiment. Exit codes:
 * 0 success, 2 usage error (a message and a hint to --help), 1 run-time error (one line, the
 * stack trace only with {@code --verbose}). Flag groups are picocli mixins:
 * the network ({@code NetworkOptions}), the optimizer and every natural-gradient flag
 * ({@code OptimizerOptions}, the one mapping onto {@code NaturalGradientOptions.Builder}), the
 * natural-gradient flags the reproductions share with it ({@code NgdStepOptions}), a saved model
 * and its data ({@code ModelAndData}). The {@code reproduce} subcommands extend
 * {@code PaperCommand} (seed, {@code --out}, {@code --force}, provenance command line);
 * {@code Commands} configures and runs a command line, records it for provenance.json and makes
 * usage errors. {@link org.natgrad.cli.ConsoleProgress} draws progress bars on a terminal only.
 */
package org.natgrad.cli;
