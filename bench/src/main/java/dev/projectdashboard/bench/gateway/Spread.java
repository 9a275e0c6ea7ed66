package dev.projectdashboard.bench.gateway;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/** Min, median and max of one figure over the repeated runs. */
record Spread(double min, double median, double max, int count) {

    static Spread of(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        int n = sorted.length;
        // an even count's median is the mean of the middle two
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(sorted[0], median, sorted[n - 1], n);
    }

    static Spread of(double... values) {
        return of(Arrays.stream(values).boxed().toList());
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** "min / median / max" with each value formatted by {@code format}. */
    String format(DoubleFormat format) {
        return format.apply(min) + " / " + format.apply(median) + " / " + format.apply(max);
    }

    /** The same spread with every value mapped (a unit change). */
    Spread map(DoubleUnaryOperator operator) {
        return new Spread(
                operator.applyAsDouble(min), operator.applyAsDouble(median), operator.applyAsDouble(max), count);
    }

    @FunctionalInterface
    interface DoubleFormat {
        String apply(double value);
    }

    /** Percent, no decimals ("78 %") but one below 10 % ("0.5 %"): ratios such as 0.78. */
    static String percent(double ratio) {
        return String.format(Locale.ROOT, ratio < 0.1 ? "%.1f %%" : "%.0f %%", ratio * 100);
    }
}
