package dev.projectdashboard.launcher.ops;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/** Reading the suite's log files: the last lines, and following them as they grow (like {@code tail -F}). */
public final class LogFiles {

    private LogFiles() {}

    /** The last {@code count} lines; reads only the end of big files. */
    public static List<String> tail(Path file, int count) {
        if (count <= 0 || !Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long window = Math.min(length, Math.max(64 * 1024L, count * 512L));
            byte[] bytes = new byte[(int) window];
            in.seek(length - window);
            in.readFully(bytes);
            List<String> lines =
                    new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            if (window < length && !lines.isEmpty()) {
                lines.remove(0); // most likely cut in the middle
            }
            return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /**
     * Hands every new complete line of the files to {@code sink} (name, line) until {@code keepGoing} is false.
     * Starts at the current end of each file, or at its top with {@code fromStart}; a file that shrinks was
     * restarted and is read from the top again.
     */
    public static void follow(
            Map<String, Path> files,
            BiConsumer<String, String> sink,
            BooleanSupplier keepGoing,
            Duration interval,
            boolean fromStart) {
        Map<String, Long> positions = new LinkedHashMap<>();
        Map<String, StringBuilder> partial = new LinkedHashMap<>();
        files.forEach((name, file) -> {
            positions.put(name, fromStart ? 0L : size(file));
            partial.put(name, new StringBuilder());
        });
        while (keepGoing.getAsBoolean()) {
            files.forEach((name, file) -> {
                long size = size(file);
                long position = positions.get(name);
                if (size < position) {
                    position = 0;
                    partial.get(name).setLength(0);
                }
                if (size > position) {
                    positions.put(name, read(file, position, size, partial.get(name), line -> sink.accept(name, line)));
                }
            });
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static long read(
            Path file, long from, long to, StringBuilder partial, java.util.function.Consumer<String> lines) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[(int) Math.min(to - from, 1 << 20)];
            in.seek(from);
            in.readFully(bytes);
            partial.append(new String(bytes, StandardCharsets.UTF_8));
            int newline;
            while ((newline = partial.indexOf("\n")) >= 0) {
                String line = partial.substring(0, newline);
                lines.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
                partial.delete(0, newline + 1);
            }
            return from + bytes.length;
        } catch (IOException e) {
            return from;
        }
    }

    private static long size(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
