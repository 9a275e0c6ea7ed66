package dev.projectdashboard.bench.pushservice;

import java.nio.charset.StandardCharsets;

/**
 * The task ids the bench's events carry, {@code T_BENCH_<step>_<index>}: push-service renders {@code task_id} into
 * every webhook body (its default template), so a sink reads back which step's which event a delivery is, and the
 * bench JVM looks up when that event was published. Parsing scans the raw body for the JSON member; no JSON parser
 * runs per delivery.
 */
final class TaskIds {

    static final String PREFIX = "T_BENCH_";

    private static final byte[] MEMBER = ("\"task_id\":\"" + PREFIX).getBytes(StandardCharsets.US_ASCII);

    private TaskIds() {}

    static String of(int step, int index) {
        return PREFIX + step + "_" + index;
    }

    /** {@code step << 32 | index} of the first {@code "task_id":"T_BENCH_<step>_<index>"} in {@code body}, or -1. */
    static long parse(byte[] body) {
        int at = indexOf(body, MEMBER);
        if (at < 0) {
            return -1;
        }
        int i = at + MEMBER.length;
        long step = 0;
        int digits = 0;
        for (; i < body.length && body[i] >= '0' && body[i] <= '9' && digits < 9; i++, digits++) {
            step = step * 10 + (body[i] - '0');
        }
        if (digits == 0 || i >= body.length || body[i] != '_') {
            return -1;
        }
        i++;
        long index = 0;
        digits = 0;
        for (; i < body.length && body[i] >= '0' && body[i] <= '9' && digits < 10; i++, digits++) {
            index = index * 10 + (body[i] - '0');
        }
        if (digits == 0 || i >= body.length || body[i] != '"' || index > Integer.MAX_VALUE) {
            return -1;
        }
        return step << 32 | index;
    }

    static int step(long parsed) {
        return (int) (parsed >>> 32);
    }

    static int index(long parsed) {
        return (int) parsed;
    }

    private static int indexOf(byte[] body, byte[] needle) {
        int last = body.length - needle.length;
        outer:
        for (int at = 0; at <= last; at++) {
            for (int k = 0; k < needle.length; k++) {
                if (body[at + k] != needle[k]) {
                    continue outer;
                }
            }
            return at;
        }
        return -1;
    }
}
