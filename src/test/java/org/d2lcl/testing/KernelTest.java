package org.d2lcl.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A kernel test class: its static {@link DeviceExtension} fields are closed after the class's
 * tests, by JUnit's engine after its tests and by jqwik's after its properties (each engine reopens
 * the device on first use, so the order they run in does not matter).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DeviceExtension.Closer.class)
@AddLifecycleHook(DeviceExtension.Closer.class)
public @interface KernelTest {
}
