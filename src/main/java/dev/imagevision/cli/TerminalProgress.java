package dev.imagevision.cli;

import dev.imagevision.pipeline.Progress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr when a person is watching; nothing at all in CI or when piped. */
final class TerminalProgress implements Progress {
    private ProgressBar bar;

    static Progress forEnvironment(boolean quiet) {
        return choose(quiet, System.getenv(), System.console() != null);
    }

    /** A bar only for a person at a terminal: not with --json, not in CI, not when output is piped. */
    static Progress choose(boolean quiet, java.util.Map<String, String> env, boolean terminal) {
        boolean ci = env.containsKey("CI") && !"false".equalsIgnoreCase(env.get("CI"));
        return quiet || ci || !terminal ? Progress.NONE : new TerminalProgress();
    }

    @Override
    public synchronized void start(String stage, int total) {
        finish();
        bar = new ProgressBarBuilder().setTaskName(stage).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(200).build();
    }

    @Override
    public synchronized void step() {
        if (bar != null) bar.step();
    }

    @Override
    public synchronized void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
