package dev.imagevision.ledger;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The ledger's id filter never says "no" to an id it was given; it rarely says "maybe" to one it was not. */
class CallIdFilterTest {
    Path dir;

    @BeforeTry
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("ids-");
    }

    @AfterTry
    void removeDir() throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Property(tries = 30)
    void everyIdAddedIsFoundWhetherBuiltWholeOrAddedInPlace(@ForAll @Size(max = 300) List<@StringLength(max = 40) String> built,
                                                          @ForAll @Size(max = 300) List<@StringLength(max = 40) String> added)
            throws IOException {
        Path file = dir.resolve("ids.bloom");
        CallIdFilter.Builder b = new CallIdFilter.Builder(2 * built.size());
        built.forEach(b::add);
        b.writeTo(file);
        try (CallIdFilter f = CallIdFilter.open(file)) {
            for (String id : added) f.add(id);
            f.force();
        }
        try (CallIdFilter f = CallIdFilter.open(file)) {
            for (String id : built) assertThat(f.mightContain(id)).as(id).isTrue();
            for (String id : added) assertThat(f.mightContain(id)).as(id).isTrue();
            assertThat(f.count()).isEqualTo(built.size() + added.size());
        }
    }

    @Property(tries = 3)
    void anIdNeverAddedIsAlmostNeverAMaybe() throws IOException {
        Path file = dir.resolve("ids.bloom");
        CallIdFilter.Builder b = new CallIdFilter.Builder(20_000);
        for (int i = 0; i < 10_000; i++) b.add("msg_in" + i);
        b.writeTo(file);
        int maybes = 0;
        try (CallIdFilter f = CallIdFilter.open(file)) {
            for (int i = 0; i < 20_000; i++) if (f.mightContain("msg_out" + i)) maybes++;
        }
        assertThat(maybes).isLessThanOrEqualTo(2); // expected about 0.004 at half capacity
    }

    @Property(tries = 1)
    void aFileThatIsNotAFilterIsNotTrusted() throws IOException {
        Path file = dir.resolve("ids.bloom");
        Files.writeString(file, "not a filter");
        assertThat(CallIdFilter.open(file)).isNull();
        assertThat(CallIdFilter.open(dir.resolve("none"))).isNull();
    }
}
