package dev.projectdashboard.starter.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches the test JVM's non-blocking threads (Reactor Netty and Lettuce event loops, Reactor's parallel and
 * single schedulers) for one that stays stuck: blocked on a monitor, parked, or running the same frames, for
 * {@link #STUCK_AFTER_SECONDS}. BlockHound cannot see a thread waiting on a {@code synchronized} block or on
 * another thread's class initialisation; such a thread hangs every connection it serves, and a test only sees a
 * request that never answers.
 *
 * <p>On the first stuck thread it writes a full thread dump (with lock owners) to {@code target/} and standard
 * error; {@link #diagnosis()} names the stuck threads in one line, which {@link StuckThreadReport} puts into the
 * failure of the test that ran into it. One sampler thread per JVM, started by the first test class.
 */
public final class EventLoopWatchdog {

    static final int STUCK_AFTER_SECONDS = 10;

    private static final String[] NON_BLOCKING = {
        "reactor-http-", "lettuce-", "parallel-", "rt-", "single-", "reactor-tcp-"
    };
    // where a healthy non-blocking thread waits for work
    private static final String[] IDLE_FRAMES = {
        "sun.nio.ch.EPoll.wait",
        "sun.nio.ch.SelectorImpl.select",
        "io.netty.channel.epoll.Native.epollWait",
        "io.netty.channel.kqueue.Native.keventWait",
        "ScheduledThreadPoolExecutor$DelayedWorkQueue.take",
        "ScheduledThreadPoolExecutor$DelayedWorkQueue.poll",
        "LinkedBlockingQueue.take",
        "SingleThreadEventExecutor.takeTask",
        "HashedWheelTimer$Worker.waitForNextTick"
    };

    private static final EventLoopWatchdog INSTANCE = new EventLoopWatchdog();

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    // thread id -> (signature, seconds seen with it)
    private final Map<Long, Sighting> sightings = new HashMap<>();
    private volatile String current = "";
    private volatile String first = "";
    private boolean started;

    private record Sighting(String signature, int seconds) {}

    private EventLoopWatchdog() {}

    /** Starts the sampler once per JVM. */
    static synchronized void start() {
        if (INSTANCE.started) {
            return;
        }
        INSTANCE.started = true;
        Thread sampler = new Thread(INSTANCE::run, "event-loop-watchdog");
        sampler.setDaemon(true);
        sampler.start();
    }

    /**
     * The non-blocking threads stuck at the last sample, or else the first ones ever seen stuck (which came free
     * again), in one line; empty when none ever was.
     */
    static String diagnosis() {
        String now = INSTANCE.current;
        return !now.isEmpty() || INSTANCE.first.isEmpty() ? now : "earlier " + INSTANCE.first;
    }

    private void run() {
        while (true) {
            try {
                Thread.sleep(1_000);
                sample();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // a failed sample must not end the watch
            }
        }
    }

    private void sample() {
        ThreadInfo[] all = threads.dumpAllThreads(true, true);
        Map<Long, Sighting> next = new HashMap<>();
        List<String> stuck = new ArrayList<>();
        for (ThreadInfo info : all) {
            if (info == null || !nonBlocking(info.getThreadName()) || idle(info)) {
                continue;
            }
            String signature = signature(info);
            Sighting before = sightings.get(info.getThreadId());
            int seconds = before != null && before.signature().equals(signature) ? before.seconds() + 1 : 0;
            next.put(info.getThreadId(), new Sighting(signature, seconds));
            if (seconds >= STUCK_AFTER_SECONDS) {
                stuck.add(describe(info));
            }
        }
        sightings.clear();
        sightings.putAll(next);
        long[] deadlocked = threads.findDeadlockedThreads();
        if (deadlocked != null) {
            stuck.add("deadlock among " + deadlocked.length + " threads");
        }
        current = String.join(" | ", stuck);
        if (!stuck.isEmpty() && first.isEmpty()) {
            first = current;
            dump(all, current);
        }
    }

    /** State and frames without line numbers: a thread spinning in a loop shows other lines of the same frames. */
    private static String signature(ThreadInfo info) {
        StringBuilder out = new StringBuilder(info.getThreadState().name());
        for (StackTraceElement frame : info.getStackTrace()) {
            out.append('|').append(frame.getClassName()).append('.').append(frame.getMethodName());
        }
        return out.toString();
    }

    private static boolean nonBlocking(String name) {
        for (String prefix : NON_BLOCKING) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean idle(ThreadInfo info) {
        StackTraceElement[] stack = info.getStackTrace();
        int depth = Math.min(stack.length, 12);
        for (int i = 0; i < depth; i++) {
            String frame = stack[i].getClassName() + "." + stack[i].getMethodName();
            for (String idle : IDLE_FRAMES) {
                if (frame.endsWith(idle)) {
                    return true;
                }
            }
        }
        return stack.length == 0;
    }

    /** Name, state, what it waits for and who holds it, and the first of our frames (or the top frame). */
    private static String describe(ThreadInfo info) {
        StringBuilder out = new StringBuilder(info.getThreadName()).append(' ').append(info.getThreadState());
        LockInfo lock = info.getLockInfo();
        if (lock != null) {
            out.append(" on ").append(lock.getClassName());
            if (info.getLockOwnerName() != null) {
                out.append(" held by ").append(info.getLockOwnerName());
            }
        }
        StackTraceElement[] stack = info.getStackTrace();
        StackTraceElement where = stack.length > 0 ? stack[0] : null;
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().startsWith("dev.projectdashboard.")) {
                where = frame;
                break;
            }
        }
        if (where != null) {
            out.append(" at ").append(where);
        }
        return out.toString();
    }

    private static void dump(ThreadInfo[] all, String line) {
        StringBuilder out =
                new StringBuilder("Stuck non-blocking threads: ").append(line).append("\n\n");
        for (ThreadInfo info : all) {
            if (info == null) {
                continue;
            }
            out.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
            if (info.getLockInfo() != null) {
                out.append(" on ").append(info.getLockInfo());
            }
            if (info.getLockOwnerName() != null) {
                out.append(" owned by \"").append(info.getLockOwnerName()).append('"');
            }
            out.append('\n');
            StackTraceElement[] stack = info.getStackTrace();
            for (int i = 0; i < stack.length; i++) {
                out.append("\tat ").append(stack[i]).append('\n');
                for (MonitorInfo monitor : info.getLockedMonitors()) {
                    if (monitor.getLockedStackDepth() == i) {
                        out.append("\t- locked ").append(monitor).append('\n');
                    }
                }
            }
            for (LockInfo synchronizer : info.getLockedSynchronizers()) {
                out.append("\t- holds ").append(synchronizer).append('\n');
            }
            out.append('\n');
        }
        System.err.println(out);
        try {
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                Files.writeString(
                        target.resolve("stuck-threads-" + Instant.now().toEpochMilli() + ".txt"),
                        out,
                        StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
