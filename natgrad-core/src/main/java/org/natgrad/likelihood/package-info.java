/**
 * Output models q(y|x) as a sealed {@link org.natgrad.likelihood.Likelihood}: Gaussian (scalar or
 * full covariance), Categorical (softmax) and Bernoulli (logits); losses, output errors, sampling
 * from the model (for the true Fisher) and the output-space Fisher with a factor. natgrad's one
 * softmax, with the categorical output Fisher diag(p) − p p^T, its factor and the class sampler,
 * is in {@link org.natgrad.likelihood.Categorical} (also used by the estimators and the Bayesian
 * networks).
 */
package org.natgrad.likelihood;
