/**
 * File formats and safe writing: {@link org.natgrad.io.AtomicFiles} (every output file is written
 * to a temporary file and renamed), NumPy {@code .npy} ({@link org.natgrad.io.Npy},
 * {@link org.natgrad.io.NpyArray}) and {@code .npz} ({@link org.natgrad.io.Npz}) readers and
 * writers, and network parameter files ({@link org.natgrad.io.ModelFiles}: W1..WL, b1..bL for dense
 * networks; PyTorch nn.Sequential state_dict keys and layouts with the model string for any network
 * a {@link org.natgrad.nn.ModelSpec} describes).
 * Malformed input raises {@link org.natgrad.io.FileFormatException} naming the file and byte offset.
 */
package org.natgrad.io;
