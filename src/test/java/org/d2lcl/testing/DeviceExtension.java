package org.d2lcl.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.function.Function;
import net.jqwik.api.lifecycle.AroundContainerHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import org.d2lcl.opencl.Context;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The device of a kernel test class: one {@link Context} on the {@link TestDevice}, and the kernel
 * under test built in it, both made on first use and shared by the class's tests and properties.
 * The class is marked {@link KernelTest}, which closes them after the last of them.
 *
 * <pre>
 * &#64;KernelTest
 * class SgdKernelTest {
 *     static final DeviceExtension&lt;SgdKernel&gt; device = new DeviceExtension&lt;&gt;(SgdKernel::new);
 *     ... device.kernel().sgd(...), device.context().floats(n) ...
 * </pre>
 *
 * @param <K> the kernel under test
 */
public final class DeviceExtension<K> {
    private final Function<Context, K> makeKernel;
    private Context context;
    private K kernel;

    /** A device whose kernel is {@code makeKernel} applied to the context. */
    public DeviceExtension(Function<Context, K> makeKernel) {
        this.makeKernel = makeKernel;
    }

    /** The class's context, opened on first use. */
    public synchronized Context context() {
        if (context == null) {
            context = Context.create(TestDevice.get());
        }
        return context;
    }

    /** The kernel under test, built on first use. */
    public synchronized K kernel() {
        if (kernel == null) {
            kernel = makeKernel.apply(context());
        }
        return kernel;
    }

    /** Closes the kernel and the context; a later use opens them again. */
    synchronized void close() throws Exception {
        try {
            if (kernel instanceof AutoCloseable closeable) {
                closeable.close();
            }
        } finally {
            kernel = null;
            if (context != null) {
                context.close();
                context = null;
            }
        }
    }

    /** Closes a {@link KernelTest} class's devices, after JUnit's tests and after jqwik's properties. */
    public static final class Closer implements AfterAllCallback, AroundContainerHook {
        @Override
        public void afterAll(ExtensionContext extensionContext) {
            extensionContext.getTestClass().ifPresent(Closer::close);
        }

        @Override
        public void afterContainer(ContainerLifecycleContext container) {
            container.optionalContainerClass().ifPresent(Closer::close);
        }

        private static void close(Class<?> testClass) {
            for (Field field : testClass.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == DeviceExtension.class) {
                    try {
                        field.setAccessible(true);
                        ((DeviceExtension<?>) field.get(null)).close();
                    } catch (Exception e) {
                        throw new IllegalStateException("closing the device of " + field, e);
                    }
                }
            }
        }
    }
}
