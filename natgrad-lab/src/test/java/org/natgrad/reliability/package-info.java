/**
 * Regression tests for what natgrad promises about bad input, killed runs, concurrent runs and
 * rejected steps (the README's "Guarantees" section names each one): every probe of issue 12 that
 * found a failure is a test here or in the reader's own test class.
 */
package org.natgrad.reliability;
