package org.d2lcl.testing;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;

/** Device buffers for the kernel tests: inputs uploaded, outputs poisoned, everything read back whole. */
public final class Buffers {
    private Buffers() {
    }

    /** A buffer holding {@code values}. */
    public static Buffer of(Context context, float[] values) {
        Buffer b = context.floats(values.length);
        b.write(values);
        return b;
    }

    /** A buffer holding {@code values}. */
    public static Buffer of(Context context, int[] values) {
        Buffer b = context.ints(values.length);
        b.write(values);
        return b;
    }

    /** An output of {@code n} floats and {@link Inputs#PAD} more past its end, all NaN. */
    public static Buffer poisoned(Context context, int n) {
        return of(context, Inputs.nan(n + Inputs.PAD));
    }

    /** Every float of {@code b}, the padding included. */
    public static float[] read(Buffer b) {
        float[] out = new float[(int) (b.bytes() / Float.BYTES)];
        b.read(out);
        return out;
    }

    /** A gradient read back: dw[0..d) then db, after checking that nothing past either was written. */
    public static float[] gradient(Buffer dw, Buffer db, int d, String what) {
        float[] dwOut = read(dw);
        float[] dbOut = read(db);
        Compare.untouchedAfter(what + " (dw)", dwOut, d);
        Compare.untouchedAfter(what + " (db)", dbOut, 1);
        float[] g = new float[d + 1];
        System.arraycopy(dwOut, 0, g, 0, d);
        g[d] = dbOut[0];
        return g;
    }

    /**
     * Poisons {@code dw} and {@code db} (NaN, padding included), runs {@code launch}, which writes the
     * gradient into them, and reads it as {@link #gradient} does: a launch that leaves any value
     * unwritten, or writes past it, fails.
     */
    public static float[] launchGradient(Buffer dw, Buffer db, int d, String what, Runnable launch) {
        dw.write(Inputs.nan(d + Inputs.PAD));
        db.write(Inputs.nan(1 + Inputs.PAD));
        launch.run();
        return gradient(dw, db, d, what);
    }
}
