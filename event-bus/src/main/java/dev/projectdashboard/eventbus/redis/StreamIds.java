package dev.projectdashboard.eventbus.redis;

/** Ordering of Redis stream ids ({@code <ms>-<seq>}), which do not sort as strings. */
final class StreamIds {

    static final String ZERO = "0-0";

    private StreamIds() {}

    static int compare(String a, String b) {
        long[] x = parse(a);
        long[] y = parse(b);
        int byTime = Long.compareUnsigned(x[0], y[0]);
        return byTime != 0 ? byTime : Long.compareUnsigned(x[1], y[1]);
    }

    private static long[] parse(String id) {
        int dash = id.indexOf('-');
        if (dash < 0) {
            return new long[] {Long.parseUnsignedLong(id), 0};
        }
        return new long[] {Long.parseUnsignedLong(id.substring(0, dash)), Long.parseUnsignedLong(id.substring(dash + 1))
        };
    }
}
