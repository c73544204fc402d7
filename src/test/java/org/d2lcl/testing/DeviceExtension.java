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
 * under test built in it, both made on first use, shared by the class's tests and closed after the
 * last of them.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final DeviceExtension&lt;SgdKernel&gt; device = new DeviceExtension&lt;&gt;(SgdKernel::new);
 * ... device.kernel().sgd(...), device.context().floats(n) ...
 * </pre>
 *
 * A class that also holds jqwik properties (which jqwik's engine runs, knowing no JUnit extension)
 * adds {@code @AddLifecycleHook(DeviceExtension.AfterProperties.class)}: the properties then share
 * the device the same way, and it is closed after them too.
 *
 * @param <K> the kernel under test
 */
public final class DeviceExtension<K> implements AfterAllCallback {
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

    @Override
    public void afterAll(ExtensionContext extensionContext) throws Exception {
        close();
    }

    /** jqwik's side: closes the container class's devices once its properties have run. */
    public static final class AfterProperties implements AroundContainerHook {
        @Override
        public void afterContainer(ContainerLifecycleContext container) {
            if (container.optionalContainerClass().isEmpty()) {
                return;
            }
            for (Field field : container.optionalContainerClass().get().getDeclaredFields()) {
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
