/** File formats and safe writing: atomic writes, NumPy {@code .npy}/{@code .npz}. */
package org.natgrad.io;
