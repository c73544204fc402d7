package org.d2lcl;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Indices;
import org.d2lcl.backend.Tensor;
import org.d2lcl.data.CsvTable;
import org.d2lcl.data.Dataset;


/**
 * Run in a JVM of its own by {@link AfterCloseTest}, since a native call on a released object
 * crashes the JVM: closes a device and everything made on it, then calls every public method of
 * {@link Device}, {@link LinearRegression}, {@link LinearModel}, {@link Trainer},
 * {@link HeldOutLoss} and the backend, with real arguments (the closed objects where a device
 * object is taken). Prints one line per call: {@code Type.method(params) -> returned | IllegalStateException | FAILED ...}.
 */
public final class AfterClose {
    private AfterClose() {
    }

    public static void main(String[] args) throws Exception {
        Dataset data = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 100, 42);
        Device device = args[0].equals("java") ? Device.java() : Device.open(args[0]);
        Backend backend = device.backend();
        LinearRegression net = LinearRegression.on(device, data);
        net.epoch();
        net.loss(data);
        Trainer trainer = new Trainer(backend, data, TrainConfig.DEFAULT);
        trainer.epoch();
        Checkpoint checkpoint = Checkpoint.of(trainer);
        StreamedTrainer streamed = new StreamedTrainer(backend, data, TrainConfig.DEFAULT, new StreamPlan(20));
        streamed.epoch();
        HeldOutLoss heldOut = new HeldOutLoss(backend, data);
        Tensor tensor = backend.tensor(new float[] {1f, 2f}, 2, 1);
        Tensor view = tensor.head(1);
        Indices indices = backend.indices(2);
        LinearModel model = net.model();
        net.close();
        trainer.close();
        streamed.close();
        heldOut.close();
        tensor.close();
        indices.close();
        Object[] values = {data, device, backend, tensor, indices, checkpoint, TrainConfig.DEFAULT, model, trainer,
                new StreamPlan(10),
                CsvTable.of(D2l.syntheticData(new float[] {1f}, 0f, 3, 1), List.of(), "data"), Files.createTempFile("afterclose", ".json")};
        // Tensors first while the backend is open: a closed tensor alone must be refused too.
        for (String op : new String[] {"read", "write", "copy"}) {
            for (Method m : backend.getClass().getMethods()) {
                if (m.getName().equals(op)) {
                    call("Tensor", m, backend, values, op.equals("write") ? null : view);
                }
            }
        }
        device.close();
        for (Object target : new Object[] {device, net, trainer, streamed, heldOut, backend, model, checkpoint}) {
            Method[] methods = target.getClass().getMethods();
            Arrays.sort(methods, Comparator.comparing(Method::toString));
            for (Method m : methods) {
                if (m.getDeclaringClass() == Object.class || m.getName().equals("close")) {
                    continue;
                }
                boolean isStatic = Modifier.isStatic(m.getModifiers());
                boolean takesDevice = Arrays.stream(m.getParameterTypes())
                        .anyMatch(t -> t == Device.class || t == Backend.class || t == Trainer.class);
                if (isStatic && !takesDevice) {
                    continue; // opens nothing closed: Device.open, LinearModel.load, ...
                }
                call(target.getClass().getSimpleName(), m, isStatic ? null : target, values, null);
            }
        }
        System.out.println("done");
    }

    private static void call(String name, Method m, Object target, Object[] values, Tensor view) {
        Class<?>[] types = m.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = argument(types[i], values);
            if (view != null && types[i] == Tensor.class) {
                args[i] = view;
            }
        }
        String line = name + "." + m.getName() + Arrays.toString(Arrays.stream(types).map(Class::getSimpleName)
                .toArray());
        try {
            m.setAccessible(true);
            m.invoke(target, args);
            System.out.println(line + " -> returned");
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            System.out.println(line + " -> " + (c instanceof IllegalStateException ? "IllegalStateException"
                    : "FAILED " + c));
        } catch (ReflectiveOperationException e) {
            System.out.println(line + " -> FAILED " + e);
        }
    }

    private static Object argument(Class<?> type, Object[] values) {
        for (Object v : values) {
            if (type.isInstance(v)) {
                return v;
            }
        }
        if (type == int.class) {
            return 1;
        }
        if (type == long.class) {
            return 2L;
        }
        if (type == float.class) {
            return 0.03f;
        }
        if (type == double.class) {
            return 0.1;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == float[].class) {
            return new float[] {1f, 2f};
        }
        if (type == int[].class) {
            return new int[] {0, 1};
        }
        if (type == long[].class) {
            return new long[] {2L};
        }
        if (type == String.class) {
            return "x";
        }
        if (type == List.class) {
            return List.of();
        }
        if (type == Path.class) {
            return values[values.length - 1];
        }
        return null;
    }
}
