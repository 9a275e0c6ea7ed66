package dev.projectdashboard.e2e.client;

import java.util.concurrent.ThreadLocalRandom;

/** Names no other test of the run (nor an earlier run against the same suite) has used. */
public final class Ids {

    private Ids() {}

    /** {@code prefix-<8 hex digits>}: fits task ids, device ids, user ids and project names alike. */
    public static String unique(String prefix) {
        return prefix + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt() | 0x10000000);
    }

    /** A GitHub run id: a large positive number, as GitHub's are. */
    public static long runId() {
        return ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
    }

    public static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
