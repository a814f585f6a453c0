package dev.imagevision.ledger;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;

/**
 * Whether one row of the ledger can be counted as money, pure. The ledger is committed and edited by
 * people and merges, and its totals are what the editor is told was spent, so a row is never taken
 * on trust: a cost must be a number (not text a person typed in quotes), not negative, and no more
 * than the requests it stands for can have cost; it must be filed under a month. Rows of ours also
 * carry token counts (the dry-run and batch estimates read them), which cannot be negative.
 */
public final class LedgerRow {
    private LedgerRow() {}

    /**
     * The most one Messages request can be billed: a million input tokens (the largest context window)
     * at the dearest input rate in the price table (a prompt-cache write), plus 128,000 output tokens
     * (the most any model writes) at its output rate. A real call of ours costs about $0.007.
     */
    public static final BigDecimal MOST_ONE_REQUEST_COSTS =
            Prices.cost(Prices.DEAREST, new Tokens(0, 128_000, 0, 1_000_000), false);

    /**
     * The most decimal places a cost can have. The smallest real one is a single cache-read token of the
     * cheapest model in a batch, about $0.00000004 (8 places); the site's older rows are JavaScript
     * floats printed in full ({@code 0.016515000000000002}), up to 17 significant digits after those
     * zeros: 25 places. Beyond 30 a figure is a typo or an attack, not a small amount.
     */
    static final int MOST_DECIMAL_PLACES = 30;

    /**
     * How far from the point a figure may be written ({@code 0.0069000…} or {@code 0E+400}) before the
     * ledger cannot be written back: the ledger's writer gives up at 9,999 places; no amount needs 1,000.
     */
    static final int MOST_WRITTEN_PLACES = 1_000;

    /**
     * The most tokens one field of one call can count: ten times the largest context window. Far more than
     * a real call, small enough that a sum over a million rows stays a {@code long}.
     */
    static final long MOST_TOKENS = 10_000_000;

    private static final String[] TOKENS = {"input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens"};

    /** Why the row cannot be counted as money, or null when it can. */
    public static String problem(JsonNode row) {
        if (row == null || !row.isObject()) return "is not an object but " + shown(row);
        JsonNode ts = row.get("ts");
        if (ts == null || !ts.isTextual() || !startsWithMonth(ts.asText())) {
            return "has no \"ts\" date (" + shown(ts) + ") to file its cost under a month";
        }
        JsonNode cost = row.get("cost_usd");
        if (cost == null || cost.isNull()) return "has no cost_usd";
        if (cost.isTextual()) return "cost_usd is a string (" + shown(cost) + "), not a number";
        if (!cost.isNumber()) return "cost_usd is " + shown(cost) + ", not a number";
        if ((cost.isDouble() || cost.isFloat()) && !Double.isFinite(cost.doubleValue())) return "cost_usd is not a finite number";
        BigDecimal usd = cost.decimalValue();
        String digits = unlikeMoney(usd);
        if (digits != null) return "cost_usd " + shown(cost) + " " + digits;
        if (usd.signum() < 0) return "cost_usd is negative (" + shown(cost) + ")";
        long requests = requests(row);
        BigDecimal most = requests == 1 ? MOST_ONE_REQUEST_COSTS : MOST_ONE_REQUEST_COSTS.multiply(BigDecimal.valueOf(requests));
        if (usd.compareTo(most) > 0) {
            return "cost_usd " + shown(cost) + " is more than " + (requests == 1 ? "one request" : requests + " images")
                    + " can cost ($" + most.toPlainString() + (requests == 1 ? "" : ", $" + MOST_ONE_REQUEST_COSTS.toPlainString()
                    + " each") + ")";
        }
        if (isCall(row)) {
            for (String field : TOKENS) {
                JsonNode n = row.get(field);
                if (n == null || n.isNull()) continue;
                if (!n.isIntegralNumber()) return field + " is " + shown(n) + ", not a whole number";
                if (n.canConvertToLong() ? n.longValue() < 0 : n.bigIntegerValue().signum() < 0) {
                    return field + " is negative (" + shown(n) + ")";
                }
                if (!n.canConvertToLong() || n.longValue() > MOST_TOKENS) {
                    return field + " " + shown(n) + " is more tokens than one request can hold (at most " + MOST_TOKENS + ")";
                }
            }
        }
        return null;
    }

    /**
     * Why a number cannot be an amount of dollars however small or large it is, or null: more decimal places
     * than any price gives ({@code 1e-999999999} is not a tiny cost but a typo), or written with so many
     * places or such an exponent that the ledger could not be written back with it.
     */
    static String unlikeMoney(BigDecimal usd) {
        int written = usd.scale();
        if (written > MOST_WRITTEN_PLACES) {
            return "is written with " + written + " decimal places, more than the ledger can write back";
        }
        if (written < -MOST_WRITTEN_PLACES) return "is written with an exponent no dollar amount has (E+" + -written + ")";
        int places = usd.signum() == 0 ? 0 : usd.stripTrailingZeros().scale();
        if (places > MOST_DECIMAL_PLACES) {
            return "has more decimal places than any cost (" + places + ", at most " + MOST_DECIMAL_PLACES + ")";
        }
        return null;
    }

    private static final int[] DIGITS = {0, 1, 2, 3, 5, 6};

    /** {@code YYYY-MM…} with a month from 01 to 12 (checked by hand: this runs for every row of a long ledger). */
    static boolean startsWithMonth(String ts) {
        if (ts.length() < 7 || ts.charAt(4) != '-') return false;
        for (int i : DIGITS) if (ts.charAt(i) < '0' || ts.charAt(i) > '9') return false;
        int month = (ts.charAt(5) - '0') * 10 + (ts.charAt(6) - '0');
        return month >= 1 && month <= 12;
    }

    /** A per-call row of ours (the site's older per-run rows name no image). */
    static boolean isCall(JsonNode row) {
        return row.has("image_path");
    }

    /**
     * What makes two rows one call: the API's message id, or {@code unconfirmed:<request id>} for a
     * request charged its ceiling; null for a row that has none (the site's older per-run rows).
     */
    public static String callId(JsonNode row) {
        JsonNode id = row == null ? null : row.get("call_id");
        return id != null && id.isTextual() && !id.asText().isEmpty() ? id.asText() : null;
    }

    /** How many requests a row stands for: one for a call, else the images an older per-run row says it processed. */
    private static long requests(JsonNode row) {
        if (isCall(row)) return 1;
        JsonNode n = row.get("images_processed");
        return n != null && n.canConvertToLong() && n.isIntegralNumber() && n.asLong() > 0 ? n.asLong() : 1;
    }

    /** A value as the file has it, short enough for a message. */
    static String shown(JsonNode n) {
        if (n == null || n.isMissingNode()) return "missing";
        if (n.isNumber() && !n.isDouble() && !n.isFloat()) {
            BigDecimal d = n.decimalValue();
            if (Math.abs(d.scale()) > 20) return d.stripTrailingZeros().toString(); // 1E-999999999, never a billion zeros
            String plain = d.toPlainString();
            return plain.length() <= 20 ? plain : d.stripTrailingZeros().toString(); // 1E+308, not 309 digits
        }
        String s = n.toString();
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
