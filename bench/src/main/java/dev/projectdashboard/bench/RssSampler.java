package dev.projectdashboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples another process's resident set size from {@code /proc/<pid>/status} every 100 ms. A window is opened
 * before an upload and closed after it; the window's peak is the largest sample (plus the reads at its two ends).
 */
final class RssSampler implements AutoCloseable {

    private final Path status;
    private final ScheduledExecutorService timer;
    private final AtomicLong windowPeakKib = new AtomicLong();

    RssSampler(long pid) {
        this.status = Path.of("/proc", Long.toString(pid), "status");
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "rss-sampler");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::sample, 0, 100, TimeUnit.MILLISECONDS);
    }

    /** Starts a new peak window. */
    void openWindow() {
        windowPeakKib.set(rssKib());
    }

    /** The peak VmRSS in bytes since {@link #openWindow()}. */
    long closeWindow() {
        sample();
        return windowPeakKib.get() * 1024;
    }

    /** Current VmRSS in bytes. */
    long rss() {
        return rssKib() * 1024;
    }

    /** VmHWM (the kernel's own peak RSS for the whole process life) in bytes. */
    long highWaterMark() {
        return field("VmHWM:") * 1024;
    }

    private void sample() {
        long now = rssKib();
        windowPeakKib.accumulateAndGet(now, Math::max);
    }

    private long rssKib() {
        return field("VmRSS:");
    }

    private long field(String name) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            return 0; // the process has gone: the caller notices that itself
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
