package dev.imagevision.vision.anthropic;

import com.anthropic.core.RequestOptions;
import com.anthropic.core.http.HttpClient;
import com.anthropic.core.http.HttpRequest;
import com.anthropic.core.http.HttpRequestBody;
import com.anthropic.core.http.HttpResponse;
import com.anthropic.core.http.Interceptor;

import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The provider's hold on the HTTP exchange beneath the SDK, installed as the SDK's innermost
 * interceptor (right above OkHttp):
 * <ul>
 *   <li>No redirect is ever followed. OkHttp follows them by default: a 307 loop re-sent a paid POST
 *       up to 21 times per attempt, and a 301 turned it into a GET whose answer, from wherever it
 *       pointed, was read as a judgement; and to another host OkHttp drops only an Authorization
 *       header, so a key sent as x-api-key would go along. A 3xx comes back to the provider as what
 *       it is.</li>
 *   <li>It notes which journaled requests had their body handed to a connection. OkHttp writes
 *       the body only once a connection is open and the headers are queued, so a request whose
 *       body was never written never reached any server (refused, unknown host, connect timeout,
 *       failed TLS handshake or proxy tunnel) and cannot have been billed; one whose body was
 *       written may have been, whatever happens next.</li>
 * </ul>
 * Requests are told apart by their {@link AnthropicProvider#REQUEST_ID_HEADER}, so this holds
 * whichever thread OkHttp writes on.
 */
final class Wire implements Interceptor {
    private final Set<String> written = ConcurrentHashMap.newKeySet();

    /**
     * Whether the body of the request journaled as {@code requestId} was handed to a connection;
     * forgets the request. Ask once, when its attempt has ended.
     */
    boolean bodyWritten(String requestId) {
        return requestId != null && written.remove(requestId);
    }

    @Override
    public HttpClient intercept(HttpClient next) {
        return new HttpClient() {
            @Override
            public HttpResponse execute(HttpRequest request, RequestOptions options) {
                return next.execute(noted(request), unredirected(options));
            }

            @Override
            public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
                return next.executeAsync(noted(request), unredirected(options));
            }

            @Override
            public void close() {
                next.close();
            }
        };
    }

    private static RequestOptions unredirected(RequestOptions options) {
        return options.toBuilder().followRedirects(false).build();
    }

    /** The request, its body reporting the moment it starts to be written. */
    private HttpRequest noted(HttpRequest request) {
        var ids = request.headers().values(AnthropicProvider.REQUEST_ID_HEADER);
        if (ids.isEmpty() || request.body().isEmpty()) return request;
        String id = ids.get(0);
        HttpRequestBody body = request.body().get();
        return request.toBuilder().body(new HttpRequestBody() {
            @Override
            public void writeTo(OutputStream out) {
                written.add(id); // before the first byte: from here on the API may get it whole and bill it
                body.writeTo(out);
            }

            @Override
            public String contentType() {
                return body.contentType();
            }

            @Override
            public long contentLength() {
                return body.contentLength();
            }

            @Override
            public boolean repeatable() {
                return body.repeatable();
            }

            @Override
            public void close() {
                body.close();
            }
        }).build();
    }
}
