/**
 * Output models q(y|x) as a sealed {@link org.natgrad.likelihood.Likelihood}: Gaussian (scalar or
 * full covariance), Categorical (softmax) and Bernoulli (logits); losses, output errors, sampling
 * from the model (for the true Fisher) and the output-space Fisher with a factor.
 */
package org.natgrad.likelihood;
