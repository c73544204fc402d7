package org.d2lcl.kernels;

import java.util.Random;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.DeviceExtension;
import org.d2lcl.testing.Inputs;
import org.d2lcl.testing.KernelTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code copy.cl} bit for bit against {@code CopyKernel.reference}, at ragged lengths and {@code CopyBench}'s. */
@KernelTest
class CopyKernelTest {
    static final DeviceExtension<CopyKernel> device = new DeviceExtension<>(CopyKernel::new);

    @ParameterizedTest(name = "n = {0}: bitwise, nothing written past n")
    @CsvSource({"1", "3", "16", "17", "4095", "4097", "100003", "33554432"})
    void bitwiseEqualToReference(int n) {
        Context context = device.context();
        Random rng = new Random(n);
        float[] x = Inputs.gaussian(rng, n);
        float a = (float) rng.nextGaussian();
        float[] y = Inputs.nan(n + 1);
        try (Buffer yb = context.floats(n + 1L); Buffer xb = context.floats(n)) {
            yb.write(y);
            xb.write(x);
            device.kernel().copyScale(yb, xb, a, n);
            yb.read(y);
        }
        float[] expected = new float[n + 1];
        CopyKernel.reference(expected, x, a, n);
        expected[n] = Float.NaN;
        Compare.bitwise("copy.cl n = " + n + ", a = " + a, expected, y, n + 1);
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest} runs the tests tagged {@code strict} on Oclgrind
     * under several devices' limits): small shapes through every launch this kernel makes.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: n = {0}: bitwise, nothing written past n")
    @ValueSource(ints = {1, 17, 300})
    void strictDevice(int n) {
        bitwiseEqualToReference(n);
    }
}
