package org.natgrad.curvature;

import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;

/**
 * An independent reference for the exact Fisher: the output Jacobians J_m (n_L x P) by central
 * finite differences of {@link Network#predict} (step h = 1e-5 per parameter, error O(h²) ≈ 1e-10
 * relative), and the output Fisher written out by hand: identity for the unit Gaussian,
 * diag(p) − p pᵀ with p = softmax(f_m) for the categorical. F = (1/M) Σ_m J_mᵀ F_out J_m (P x P,
 * ParamVector's flat order). No code of the library's backpropagation or Fisher is used.
 */
public final class FiniteDifferenceFisher {
    /** Which output Fisher. */
    public enum Output { UNIT_GAUSSIAN, CATEGORICAL }

    private FiniteDifferenceFisher() {
    }

    /** The Jacobians: entry [m] is n_L x P for example m (column m of x). */
    public static Matrix[] jacobians(Network net, Matrix x) {
        Network n = net.copy();
        ParamVector p = n.parameters();
        double[] theta = p.toFlat();
        int m = x.cols();
        int out = n.predict(x).rows();
        Matrix[] j = new Matrix[m];
        for (int e = 0; e < m; e++) {
            j[e] = new Matrix(out, theta.length);
        }
        double h = 1e-5;
        for (int k = 0; k < theta.length; k++) {
            double saved = theta[k];
            theta[k] = saved + h;
            p.setFromFlat(theta);
            Matrix plus = n.predict(x);
            theta[k] = saved - h;
            p.setFromFlat(theta);
            Matrix minus = n.predict(x);
            theta[k] = saved;
            p.setFromFlat(theta);
            for (int e = 0; e < m; e++) {
                for (int i = 0; i < out; i++) {
                    j[e].set(i, k, (plus.get(i, e) - minus.get(i, e)) / (2 * h));
                }
            }
        }
        return j;
    }

    /** F = (1/M) Σ_m J_mᵀ F_out(f_m) J_m. */
    public static Matrix fisher(Network net, Output kind, Matrix x) {
        Matrix[] j = jacobians(net, x);
        Matrix f = net.predict(x);
        int pc = j[0].cols();
        int out = f.rows();
        Matrix fisher = new Matrix(pc, pc);
        for (int e = 0; e < x.cols(); e++) {
            double[][] fo = new double[out][out];
            if (kind == Output.UNIT_GAUSSIAN) {
                for (int i = 0; i < out; i++) {
                    fo[i][i] = 1;
                }
            } else {
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < out; i++) {
                    max = Math.max(max, f.get(i, e));
                }
                double[] pr = new double[out];
                double sum = 0;
                for (int i = 0; i < out; i++) {
                    pr[i] = Math.exp(f.get(i, e) - max);
                    sum += pr[i];
                }
                for (int i = 0; i < out; i++) {
                    pr[i] /= sum;
                }
                for (int i = 0; i < out; i++) {
                    for (int l = 0; l < out; l++) {
                        fo[i][l] = (i == l ? pr[i] : 0) - pr[i] * pr[l];
                    }
                }
            }
            for (int a = 0; a < pc; a++) {
                for (int b = 0; b < pc; b++) {
                    double s = 0;
                    for (int i = 0; i < out; i++) {
                        for (int l = 0; l < out; l++) {
                            s += j[e].get(i, a) * fo[i][l] * j[e].get(l, b);
                        }
                    }
                    fisher.set(a, b, fisher.get(a, b) + s / x.cols());
                }
            }
        }
        return fisher;
    }
}
