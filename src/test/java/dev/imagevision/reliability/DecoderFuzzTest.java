package dev.imagevision.reliability;

import dev.imagevision.testing.IsolatedRun;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoder fuzzing ({@link DecoderFuzzChecks}) in a JVM of its own, so the native decoders' own
 * complaints about the damaged files (hundreds of libpng and libjpeg lines on stderr) stay out of
 * the build's output; they are kept in {@code target/decoder-fuzz/}.
 */
@Tag("reliability")
class DecoderFuzzTest {
    @Test
    void everyDecoderFailsOnlyAsImageExceptionOnArbitraryAndMutatedBytes() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "decoder-fuzz"));
        IsolatedRun.Result r = IsolatedRun.run(DecoderFuzzChecks.class, work);
        assertThat(r.exitCode()).as(r.summary() + "\n(native stderr: " + r.nativeErr() + ")").isZero();
        assertThat(r.summary()).contains("3 tests successful").contains("0 tests failed");
        // the decoders did meet damaged files: their complaints went to the file, not to the build's output
        assertThat(Files.readString(r.nativeErr())).contains("libpng error");
    }
}
