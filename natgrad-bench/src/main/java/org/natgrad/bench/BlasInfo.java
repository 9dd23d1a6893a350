package org.natgrad.bench;

import org.natgrad.linalg.Backend;

/** Prints natgrad's BLAS backend (OpenBLAS's configuration line names the kernel it selected) and the OpenBLAS environment. */
public final class BlasInfo {

    private BlasInfo() {
    }

    public static void main(String[] args) {
        System.out.println(describe());
    }

    /** Backend, thread count, JVM and the OPENBLAS_* overrides seen in the environment. */
    public static String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("natgrad backend: ").append(Backend.describe()).append('\n');
        sb.append("java: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version")).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" processors\n");
        for (String v : new String[] {"OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"}) {
            String val = System.getenv(v);
            sb.append(v).append('=').append(val == null ? "(unset)" : val).append('\n');
        }
        return sb.toString();
    }
}
