package dev.imagevision.vision.anthropic;

import java.time.Duration;

/**
 * What went wrong with one request, as the retry policy needs to know it.
 *
 * @param status     the HTTP status, 0 for a timeout or a broken connection (a 200 whose body stopped arriving
 *                   included); 200 for a reply that arrived whole but cannot be read
 * @param retryAfter how long the API asked us to wait (retry-after), or null
 * @param detail     the API's own message (already free of the key), for the user; for status 0, what
 *                   happened on the wire
 */
record Fault(Kind kind, int status, Duration retryAfter, String detail) {

    enum Kind {
        /** 408, 409, 500, 502, 503, 504, 529, timeouts, broken connections: worth another attempt. */
        TRANSIENT,
        /** 429: worth another attempt after the wait the API asks for, and fewer requests at once. */
        RATE_LIMITED,
        /** 400, 413, 422 …: this image will never be accepted as sent. */
        REFUSED,
        /** 401, 403: the key is missing or rejected; no request of this run can succeed. */
        AUTH,
        /** Every later request would fail the same way (unknown model, no credit). */
        FATAL,
        /** A 200 whose body cannot be read: it may have been billed, so it is not sent again. */
        UNREADABLE,
        /** The request reached no server (refused, unknown host, connect timeout): not billed, worth another attempt. */
        UNREACHED,
        /**
         * 3xx: the API never redirects, so a gateway or a wrong base URL did. Never followed (a paid request
         * re-sent elsewhere may be billed again, or answered by something that is not the API), not billed,
         * and not retried: it would say the same.
         */
        REDIRECTED
    }

    static Kind kindOf(int status) {
        return switch (status) {
            case 0, 408, 409, 500, 502, 503, 504, 529 -> Kind.TRANSIENT;
            case 429 -> Kind.RATE_LIMITED;
            case 401, 403 -> Kind.AUTH;
            case 404 -> Kind.FATAL; // the model id does not exist
            default -> status >= 500 ? Kind.TRANSIENT : status >= 300 && status < 400 ? Kind.REDIRECTED : Kind.REFUSED;
        };
    }

    boolean retryable() {
        return kind == Kind.TRANSIENT || kind == Kind.RATE_LIMITED || kind == Kind.UNREACHED;
    }

    String describe() {
        if (status == 0) return detail == null || detail.isBlank() ? "no response (timeout or connection lost)" : detail;
        String what = "HTTP " + status;
        return detail == null || detail.isBlank() ? what : what + ": " + detail;
    }
}
