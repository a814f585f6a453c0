package dev.imagevision.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's advice when no JDK 21+ is found must work on the system it is shown on. */
class LauncherTest {
    @Test
    void debianTwelveIsToldWhereAJdk21ComesFromSinceItHasNoPackage(@TempDir Path dir) throws Exception {
        String a = adviceOnly(dir, "ID=debian\nVERSION_ID=\"12\"\n", "Linux");
        assertThat(a).contains("Debian 12 has no JDK 21 package", "temurin-21-jdk", "adoptium.net");
        assertThat(a).doesNotContain("apt-get install openjdk-21");
    }

    @Test
    void systemsWithAPackageAreGivenIt(@TempDir Path dir) throws Exception {
        assertThat(adviceOnly(dir, "ID=debian\nVERSION_ID=\"13\"\n", "Linux")).contains("apt-get install openjdk-21-jdk-headless maven");
        assertThat(adviceOnly(dir, "ID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"24.04\"\n", "Linux"))
                .contains("apt-get install openjdk-21-jdk-headless maven");
        assertThat(adviceOnly(dir, "", "Darwin")).contains("brew install openjdk@21");
        assertThat(adviceOnly(dir, "ID=fedora\nVERSION_ID=41\n", "Linux")).contains("dnf install java-21-openjdk-devel");
    }

    static String adviceOnly(Path dir, String osRelease, String kernel) throws Exception {
        Path release = Files.writeString(dir.resolve("os-release"), osRelease);
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", ". bin/jdk.sh; jdk_advice \"$0\" \"$1\"", release.toString(), kernel)
                .redirectErrorStream(true);
        pb.environment().put("IMAGEVISION_JDK_ADVICE_ONLY", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
