package org.d2lcl.bench;

/**
 * What one operation of a benchmark does, counted once: floating-point operations, bytes that
 * must move, or a whole run (reported in ms). The table turns time per operation into a rate.
 */
record Work(double amount, Unit unit) {
    enum Unit {
        FLOPS("GFLOP/s"), BYTES("GB/s"), RUN("ms"), LAUNCH("µs");

        final String label;

        Unit(String label) {
            this.label = label;
        }
    }

    static Work flops(double flops) {
        return new Work(flops, Unit.FLOPS);
    }

    static Work bytes(double bytes) {
        return new Work(bytes, Unit.BYTES);
    }

    static Work run() {
        return new Work(1, Unit.RUN);
    }

    /** One launch, reported in microseconds. */
    static Work launch() {
        return new Work(1, Unit.LAUNCH);
    }

    /** The rate (GFLOP/s, GB/s) or the time (ms) of one operation taking {@code micros}. */
    double value(double micros) {
        return switch (unit) {
            case RUN -> micros / 1e3;
            case LAUNCH -> micros;
            default -> amount / (micros * 1e3);
        };
    }

    /** The work of {@code benchmark} (its class's simple name) at {@code size}. */
    static Work of(String benchmark, String size) {
        return switch (benchmark) {
            case "MatmulBench" -> MatmulBench.work(size);
            case "GemvBench" -> GemvBench.work(size);
            case "ReduceBench" -> ReduceBench.work(size);
            case "StepBench" -> StepBench.work(size);
            case "CopyBench" -> CopyBench.work(size);
            case "TrainBench" -> TrainBench.work(size);
            case "EpochBench" -> EpochBench.work(size);
            case "SweepBench" -> SweepBench.work(size);
            case "StreamBench" -> StreamBench.work(size);
            case "LaunchBench" -> Work.launch();
            default -> throw new IllegalArgumentException("no work count for " + benchmark);
        };
    }
}
