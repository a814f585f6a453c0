package dev.imagevision.site;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The one number format of every file we write: plain decimals, shortest digits, no exponent. */
class JsonNumberTest {
    static String written(double v) {
        String s = new String(Json.stableBytes(Map.of("v", v)), StandardCharsets.UTF_8);
        return s.substring(s.indexOf(':') + 1, s.lastIndexOf('}')).strip();
    }

    /** The definition: the shortest decimal that reads back as the double, written out plainly. */
    static String reference(double v) {
        BigDecimal d = BigDecimal.valueOf(v).stripTrailingZeros();
        if (d.scale() < 0) d = d.setScale(0);
        return d.toPlainString();
    }

    @Test
    void examples() {
        assertThat(written(0.5)).isEqualTo("0.5");
        assertThat(written(12.0)).isEqualTo("12");
        assertThat(written(100.0)).isEqualTo("100");
        assertThat(written(0.000123)).isEqualTo("0.000123");
        assertThat(written(1.5e20)).isEqualTo("150000000000000000000");
        assertThat(written(-0.0)).isEqualTo("0");
        assertThat(written(-2.25)).isEqualTo("-2.25");
        assertThat(written(Double.NaN)).isEqualTo("null");
    }

    @Property(tries = 2000, seed = "18")
    void everyFiniteDoubleIsWrittenPlainAndReadsBack(@ForAll double v) {
        if (!Double.isFinite(v)) return;
        String s = written(v);
        assertThat(s).isEqualTo(reference(v)).doesNotContain("E");
        assertThat(Double.parseDouble(s)).isEqualTo(v == 0 ? 0.0 : v);
    }
}
