/**
 * The {@code natgrad} command line (picocli): {@link org.natgrad.cli.NatgradCommand} holds the
 * global options ({@code --threads}, {@code --seed}, {@code --verbose}) and the subcommand list;
 * each subcommand maps its flags onto an options record and runs an experiment. Exit codes:
 * 0 success, 2 usage error (with a message and the usage), 1 run-time error (one line, the
 * stack trace only with {@code --verbose}).
 */
package org.natgrad.cli;
