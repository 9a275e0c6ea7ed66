package dev.projectdashboard.realtimeservice.history;

import java.util.concurrent.ThreadLocalRandom;

/** Random channel epochs: a new one whenever a channel's history starts over (first use, or its meta expired). */
public final class Epochs {

    private static final char[] CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private Epochs() {}

    /** Ten url-safe characters; ThreadLocalRandom, because an epoch must differ, not be unpredictable. */
    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] epoch = new char[10];
        for (int i = 0; i < epoch.length; i++) {
            epoch[i] = CHARS[random.nextInt(CHARS.length)];
        }
        return new String(epoch);
    }
}
