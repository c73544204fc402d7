package org.d2lcl.notebook;

import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.common.Image;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * XChart figures in a notebook: any chart, a cell's value or passed to {@code display}, is drawn
 * off screen at its own width and height and shown as {@code image/png}, with a line of text for
 * readers without images.
 */
final class Figures {
    private Figures() {
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static void register(Renderer renderer) {
        renderer.createRegistration(Chart.class)
                .preferring(MIMEType.IMAGE_PNG)
                .register((chart, context) -> {
                    Image.renderImage(BitmapEncoder.getBufferedImage(chart), context);
                    context.getOutputContainer().putText(describe(chart));
                });
    }

    /** The text beside the image: the chart's kind, title and size. */
    static String describe(Chart<?, ?> chart) {
        String title = chart.getTitle() == null || chart.getTitle().isEmpty() ? "" : " \"" + chart.getTitle() + "\"";
        return chart.getClass().getSimpleName() + title + ", " + chart.getWidth() + "x" + chart.getHeight();
    }
}
