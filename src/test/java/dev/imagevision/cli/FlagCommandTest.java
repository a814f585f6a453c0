package dev.imagevision.cli;

import dev.imagevision.fixtures.SiteFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FlagCommandTest {
    @TempDir
    Path root;
    Path file;

    /** What one command printed and returned. */
    record Run(int code, String out, String err) {}

    static Run run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out),
                new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    Run flag(String stdin, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "flag";
        all[1] = "--root";
        all[2] = root.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return run(stdin, all);
    }

    @BeforeEach
    void site() throws IOException {
        SiteFixtures.writeSite(root, List.of("/images/missions/juice/01.jpg", "/images/missions/juice/02.jpg",
                "/images/missions/curiosity/01.jpg"), Map.of("juice", "ACTIVE", "curiosity", "ACTIVE"));
        file = root.resolve("static/data/image-curation.json");
    }

    @Test
    void theAuditReportPayloadOnStdinFlagsTheImage() throws IOException {
        Run r = flag("{\"path\": \"static/images/missions/juice/02.jpg\", \"reason\": \"Stock photo of a juice drink\"}\n");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("flagged /images/missions/juice/02.jpg: Stock photo of a juice drink")
                .contains("rejected_by \"human\"");
        String text = Files.readString(file);
        assertThat(text).contains("\"path\": \"/images/missions/juice/02.jpg\"")
                .contains("\"reason\": \"Stock photo of a juice drink\"").containsPattern("\"flaggedAt\": \"20\\d\\d-");
    }

    @Test
    void pathAndReasonOnTheCommandLine() throws IOException {
        Run r = flag("", "images/missions/curiosity/01.jpg", "--reason", "press conference photo");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(file)).contains("/images/missions/curiosity/01.jpg").contains("press conference photo");
    }

    @Test
    void listShowsNewestFirstAndUnflagRemoves() throws IOException {
        Files.writeString(file, """
                {"version": "1.0", "entries": [
                  {"path": "/images/missions/juice/01.jpg", "reason": "older", "flaggedAt": "2026-01-01T00:00:00.000Z"},
                  {"path": "/images/missions/juice/02.jpg", "reason": "newer", "flaggedAt": "2026-02-01T00:00:00.000Z"}]}
                """);
        Run list = flag("", "--list");
        assertThat(list.code()).isZero();
        assertThat(list.out().lines().toList()).containsExactly(
                "2026-02-01T00:00:00.000Z  /images/missions/juice/02.jpg  newer",
                "2026-01-01T00:00:00.000Z  /images/missions/juice/01.jpg  older");
        Run un = flag("", "--unflag", "static/images/missions/juice/02.jpg");
        assertThat(un.code()).as(un.err()).isZero();
        assertThat(un.err()).contains("unflagged /images/missions/juice/02.jpg (was: newer)");
        assertThat(flag("", "--list").out().lines().toList()).containsExactly(
                "2026-01-01T00:00:00.000Z  /images/missions/juice/01.jpg  older");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty stdin|''|no flag payload",
            "not JSON|'path=/images/missions/juice/02.jpg'|it is not valid JSON (line 1, column",
            "truncated JSON|'{\"path\": \"/images/missions/juice/02.jpg\", '|it ends before the JSON is complete",
            "two objects|'{\"path\": \"/images/missions/juice/02.jpg\", \"reason\": \"x\"} {}'|it is not valid JSON",
            "an array|'[\"/images/missions/juice/02.jpg\", \"x\"]'|must be a JSON object",
            "no path|'{\"reason\": \"x\"}'|has no \"path\"",
            "no reason|'{\"path\": \"/images/missions/juice/02.jpg\"}'|has no \"reason\"",
            "reason not text|'{\"path\": \"/images/missions/juice/02.jpg\", \"reason\": 3}'|\"reason\" must be a string",
            "empty reason|'{\"path\": \"/images/missions/juice/02.jpg\", \"reason\": \"  \"}'|reason is empty",
            "unknown path|'{\"path\": \"/images/missions/juno/01.jpg\", \"reason\": \"x\"}'|is not a source image",
    })
    void badPayloadsExitTwoAndLeaveTheFileUntouched(String name, String stdin, String message) throws IOException {
        flag("", "/images/missions/juice/01.jpg", "--reason", "already here");
        byte[] before = Files.readAllBytes(file);
        Run r = flag(stdin);
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).startsWith("imagevision: ").contains(message);
        // said in the user's words: the JSON library's own messages and names stay out
        assertThat(r.err()).doesNotContain("Unexpected", "token", "jackson", "Source:", "end-of-input");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void usageMistakesExitTwo() throws IOException {
        assertThat(flag("", "/images/missions/juice/01.jpg").err()).contains("--reason is required");
        assertThat(flag("", "--reason", "x").code()).isEqualTo(Main.BAD_INPUT);
        assertThat(flag("", "--list", "--unflag", "/images/missions/juice/01.jpg").code()).isEqualTo(Main.BAD_INPUT);
        assertThat(flag("", "--unflag", "/images/missions/juice/01.jpg").err()).contains("is not flagged");
        assertThat(file).doesNotExist();
    }

    @Test
    void anOversizedPayloadIsRefused() {
        Run r = flag("{\"path\": \"/images/missions/juice/02.jpg\", \"reason\": \"" + "x".repeat(70_000) + "\"}");
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("over 64 KiB");
        assertThat(file).doesNotExist();
    }
}
