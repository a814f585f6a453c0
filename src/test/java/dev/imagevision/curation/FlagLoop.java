package dev.imagevision.curation;

import dev.imagevision.cli.Main;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * A child process for {@link TwoProcessFlagTest}: runs {@code imagevision flag} with a stdin
 * payload for images {@code from}..{@code to - 1}, one command after another. Exits non-zero on
 * the first failure.
 */
public final class FlagLoop {
    public static void main(String[] args) {
        String root = args[0];
        int from = Integer.parseInt(args[1]);
        int to = Integer.parseInt(args[2]);
        for (int i = from; i < to; i++) {
            String payload = "{\"path\": \"" + TwoProcessFlagTest.path(i) + "\", \"reason\": \"reason " + i + "\"}";
            StringWriter err = new StringWriter();
            int code = Main.run(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)),
                    new PrintWriter(new StringWriter()), new PrintWriter(err), "flag", "--root", root);
            if (code != 0) {
                System.err.println("flag " + i + " exited " + code + ": " + err);
                System.exit(10 + code);
            }
        }
    }
}
