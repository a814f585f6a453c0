package dev.imagevision.cli;

import dev.imagevision.cache.LeftIncompleteException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last line of a run whose output could not be written (exit 5) says which files are intact,
 * and never claims it of a file a failed write left incomplete.
 */
class WriteFailureMessageTest {
    @CommandLine.Command(name = "failing")
    static final class Failing implements Callable<Integer> {
        final Exception thrown;

        @CommandLine.Option(names = "--json")
        boolean json;

        Failing(Exception thrown) {
            this.thrown = thrown;
        }

        @Override
        public Integer call() throws Exception {
            throw thrown;
        }
    }

    record Ending(int code, String err, String out) {}

    static Ending run(Exception thrown) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = Failures.install(new CommandLine(new Failing(thrown)));
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("--json");
        return new Ending(code, err.toString(), out.toString());
    }

    @Test
    void aWriteThatLeftEveryFileAsItWasSaysSo() {
        Ending e = run(new IOException("cannot write static/data/image-vision.json: No space left on device"));
        assertThat(e.code()).isEqualTo(Main.WRITE_FAILED);
        assertThat(e.err()).contains("the previous manifest, ledger and cache are intact");
    }

    @Test
    void aFileLeftIncompleteIsNamedAndNothingClaimsItIsIntact() {
        Path ledger = Path.of("static/data/image-vision-cost-ledger.json");
        LeftIncompleteException torn = new LeftIncompleteException(ledger, "cannot write " + ledger
                + ": Input/output error; it is left incomplete until the next run puts its end back", null);
        for (Exception thrown : new Exception[] {torn, new IOException("folding the journal failed", torn),
                new java.io.UncheckedIOException(torn)}) {
            Ending e = run(thrown);
            assertThat(e.code()).isEqualTo(Main.WRITE_FAILED);
            assertThat(e.err()).contains("left incomplete", ledger.toString()).doesNotContain("intact");
            assertThat(e.out()).contains("left incomplete").doesNotContain("intact");
        }
    }
}
