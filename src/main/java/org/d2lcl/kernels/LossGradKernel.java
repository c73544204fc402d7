package org.d2lcl.kernels;

import java.util.HashMap;
import java.util.Map;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;
import org.d2lcl.opencl.ScratchBuffer;

/**
 * Host side of {@code kernels/loss_grad.cl}: {@code dw = X^T (y_hat - y)}, {@code db = sum(y_hat - y)}.
 * A minibatch of up to {@link #ROWS_FROM} - 1 rows takes the one-launch PER_OUTPUT kernel; a longer
 * batch the ROWS pair, which reads X once in row order on every compute unit.
 *
 * <p>{@link #residualGrad} is the same gradient with the residual factor {@code r} given
 * ({@code dw = X^T r}, {@code db = sum r}): {@code r} from {@link LossKernel#lossResidual}, for the
 * losses whose factor is not {@code y_hat - y}. Same variants, same order of additions.
 */
public final class LossGradKernel implements AutoCloseable {
    /** The batch length from which the ROWS variant is used. */
    public static final int ROWS_FROM = 4096;

    /** The kernels of {@code loss_grad.cl}. */
    public enum Variant { PER_OUTPUT, ROWS }

    private record Rows(Fitted<Integer> fitted, Kernel rows, Kernel residualRows, Kernel sum) {
        Rows(Fitted<Integer> fitted) {
            this(fitted, fitted.kernel("loss_grad_rows"), fitted.kernel("residual_grad_rows"),
                    fitted.kernel("loss_grad_sum"));
        }

        void close() {
            fitted.close();
        }
    }

    private final Context context;
    private final int wg;
    private final int groups;
    private final String options;
    private final Kernel lossGrad;
    private final Kernel residualGrad;
    private final Map<Integer, Rows> byWidth = new HashMap<>();
    private final ScratchBuffer partial;

    public LossGradKernel(Context context) {
        this.context = context;
        this.partial = new ScratchBuffer(context);
        String base = Tuning.baseOptions(context.device());
        Fitted<Integer> fitted = Fitted.build(context, "loss_grad.cl", Tuning.workGroup(context.device(), 64),
                Tuning.wg(base), "loss_grad",
                "residual_grad");
        this.wg = fitted.geometry();
        this.groups = Math.max(1, context.device().computeUnits() * 8);
        this.options = base + " -DWG=" + wg;
        this.lossGrad = fitted.kernel("loss_grad");
        this.residualGrad = fitted.kernel("residual_grad");
    }

    /** {@code dw = X^T (yHat - y)}, {@code db = sum(yHat - y)}, in the variant the batch length picks. */
    public void lossGrad(Buffer dw, Buffer db, Buffer x, Buffer yHat, Buffer y, int n, int d) {
        lossGrad(n < ROWS_FROM ? Variant.PER_OUTPUT : Variant.ROWS, dw, db, x, yHat, y, n, d);
    }

    /** The same with the variant named. */
    public void lossGrad(Variant variant, Buffer dw, Buffer db, Buffer x, Buffer yHat, Buffer y, int n, int d) {
        if (variant == Variant.PER_OUTPUT) {
            lossGrad.arg(0, dw).arg(1, db).arg(2, x).arg(3, yHat).arg(4, y).arg(5, n).arg(6, d);
            lossGrad.launch((long) (d + 1) * wg, wg);
            return;
        }
        Rows k = rows(d);
        RowsGrid grid = grid(n, d);
        k.rows.arg(0, grid.partial).arg(1, x).arg(2, yHat).arg(3, y).arg(4, n).arg(5, grid.rowsPerGroup);
        k.rows.launch(grid.groups, 1);
        sum(k, dw, db, grid);
    }

    /** {@code dw = X^T r}, {@code db = sum r} for a residual factor {@code r}, in the variant the batch length picks. */
    public void residualGrad(Buffer dw, Buffer db, Buffer x, Buffer r, int n, int d) {
        residualGrad(n < ROWS_FROM ? Variant.PER_OUTPUT : Variant.ROWS, dw, db, x, r, n, d);
    }

    /** The same with the variant named. */
    public void residualGrad(Variant variant, Buffer dw, Buffer db, Buffer x, Buffer r, int n, int d) {
        if (variant == Variant.PER_OUTPUT) {
            residualGrad.arg(0, dw).arg(1, db).arg(2, x).arg(3, r).arg(4, n).arg(5, d);
            residualGrad.launch((long) (d + 1) * wg, wg);
            return;
        }
        Rows k = rows(d);
        RowsGrid grid = grid(n, d);
        k.residualRows.arg(0, grid.partial).arg(1, x).arg(2, r).arg(3, n).arg(4, grid.rowsPerGroup);
        k.residualRows.launch(grid.groups, 1);
        sum(k, dw, db, grid);
    }

    /** The ROWS launch: {@code groups} groups of {@code rowsPerGroup} rows, each writing its blocks of {@code partial}. */
    private record RowsGrid(int groups, int rowsPerGroup, Buffer partial) {
    }

    private RowsGrid grid(int n, int d) {
        int g = Math.max(1, Math.min(groups, n));
        int rowsPerGroup = Tuning.ceilDiv(n, g);
        g = Math.max(1, Tuning.ceilDiv(n, rowsPerGroup));
        long perGroup = (d + 16L) / 16 * 16;
        return new RowsGrid(g, rowsPerGroup, partial.floats(g * perGroup));
    }

    private static void sum(Rows k, Buffer dw, Buffer db, RowsGrid grid) {
        k.sum.arg(0, dw).arg(1, db).arg(2, grid.partial).arg(3, grid.groups);
        k.sum.launch(1, 1);
    }

    private Rows rows(int d) {
        // One work-item per group (L = 1): every device takes it; Fitted still asks each kernel.
        return byWidth.computeIfAbsent(d, w -> new Rows(Fitted.build(context, "loss_grad.cl", 1,
                Tuning.local(options + " -DL=1 -DD=" + w), "loss_grad_rows", "residual_grad_rows",
                "loss_grad_sum")));
    }

    @Override
    public void close() {
        lossGrad.close();
        residualGrad.close();
        byWidth.values().forEach(Rows::close);
        byWidth.clear();
        partial.close();
    }
}
