package dev.projectdashboard.launcher;

import java.io.PrintStream;

/** Output for people: calm lines, and one self-updating progress line when a terminal is attached. */
public final class Console {

    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;
    private int progressWidth;

    public Console(PrintStream out, PrintStream err, boolean interactive) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    public static Console system() {
        return new Console(System.out, System.err, System.console() != null);
    }

    public synchronized void line(String text) {
        clearProgress();
        out.println(text);
        out.flush();
    }

    public synchronized void error(String text) {
        clearProgress();
        out.flush();
        err.println(text);
        err.flush();
    }

    /** Rewrites the current line in a terminal; elsewhere (logs, pipes) prints nothing, to stay short. */
    public synchronized void progress(String text) {
        if (!interactive) {
            return;
        }
        String padded = text.length() < progressWidth ? text + " ".repeat(progressWidth - text.length()) : text;
        out.print("\r" + padded);
        out.flush();
        progressWidth = text.length();
    }

    public boolean interactive() {
        return interactive;
    }

    private void clearProgress() {
        if (progressWidth > 0) {
            out.print("\r" + " ".repeat(progressWidth) + "\r");
            progressWidth = 0;
        }
    }
}
