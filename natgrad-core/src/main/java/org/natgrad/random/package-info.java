/** Seeded, restartable random numbers ({@link org.natgrad.random.Rng}): every run takes a seed. */
package org.natgrad.random;
