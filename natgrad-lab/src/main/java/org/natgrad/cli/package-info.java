/**
 * The {@code natgrad} command line (picocli): {@link org.natgrad.cli.NatgradCommand} holds the
 * global options ({@code --threads}, {@code --seed}, {@code --verbose}) and the subcommand list;
 * each subcommand maps its flags onto an options record and runs an experiment. Exit codes:
 * 0 success, 2 usage error (a message and a hint to --help), 1 run-time error (one line, the
 * stack trace only with {@code --verbose}). Flag groups are picocli mixins:
 * the network ({@code NetworkOptions}), the natural gradient ({@code OptimizerOptions}), a saved model
 * and its data ({@code ModelAndData}); {@code Commands} runs a command line and records it for
 * provenance.json. {@link org.natgrad.cli.ConsoleProgress} draws progress bars on a terminal only.
 */
package org.natgrad.cli;
