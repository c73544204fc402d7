package org.d2lcl.backend;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Detects two threads inside one object at once. {@link #enter()} claims the object for the
 * calling thread (re-entry by the same thread nests), {@link #exit()} releases it; a second thread
 * that enters while it is claimed gets a {@link ConcurrentUseException} naming both threads.
 *
 * <p>This fires exactly when calls overlap, which is when an OpenCL kernel's arguments could be
 * overwritten by another thread between {@code clSetKernelArg} and the launch. Handing an object
 * from one thread to another between calls is allowed: the release and the next claim are a
 * volatile write and read, so the second thread sees everything the first one did.
 */
public final class UseGuard {
    private final String what;
    private final AtomicReference<Thread> user = new AtomicReference<>();
    private int depth; // touched only by the thread that holds the claim

    /** @param what how error messages name the guarded object, e.g. {@code "Trainer"} */
    public UseGuard(String what) {
        this.what = what;
    }

    public void enter() {
        Thread me = Thread.currentThread();
        if (user.get() == me) {
            depth++;
            return;
        }
        if (!user.compareAndSet(null, me)) {
            Thread other = user.get();
            throw new ConcurrentUseException("this " + what + " was called from thread '" + me.getName()
                    + "' while thread '" + (other == null ? "?" : other.getName()) + "' was inside it: a " + what
                    + " is used by one thread at a time; give each thread its own");
        }
        depth = 1;
    }

    public void exit() {
        if (--depth == 0) {
            user.set(null);
        }
    }

    /**
     * {@code operation} inside the guard; it throws {@link IllegalStateException} instead when
     * {@code closed} says the object is closed (its device objects are freed).
     */
    public <T> T call(java.util.function.BooleanSupplier closed, java.util.function.Supplier<T> operation) {
        enter();
        try {
            if (closed.getAsBoolean()) {
                throw new IllegalStateException("the " + what + " is closed: its device objects are freed");
            }
            return operation.get();
        } finally {
            exit();
        }
    }
}
