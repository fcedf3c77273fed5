package dev.falclient.spring.autoconfigure.proxy;

import dev.falclient.emulator.FalEmulator;
import java.util.List;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** The emulator-backed settings of the proxy tests, and a real HTTP server for a proxy route. */
final class ProxyFixtures {

    static final String KEY = "proxy-secret-key-1234";
    static final String PATH = "/api/fal/proxy";

    private ProxyFixtures() {
    }

    static FalEmulator emulator() {
        return FalEmulator.builder().requiredKey(KEY).start();
    }

    /** fal's base URLs pointing at the emulator, the key, and the proxy on with {@code fal-ai/flux/*} allowed. */
    static String[] properties(FalEmulator emu) {
        return List.of("fal.key=" + KEY, "fal.queue-url=" + emu.queueUrl(), "fal.run-url=" + emu.runUrl(),
                "fal.rest-url=" + emu.restUrl(), "fal.cdn-url=" + emu.cdnUrl(), "fal.proxy.enabled=true",
                "fal.proxy.allowed-endpoints=fal-ai/flux/*").toArray(String[]::new);
    }

    /** Serves the route over real HTTP on a free port of the loopback interface. */
    static DisposableServer serve(RouterFunction<ServerResponse> route) {
        ReactorHttpHandlerAdapter adapter = new ReactorHttpHandlerAdapter(RouterFunctions.toHttpHandler(route));
        return HttpServer.create().host("127.0.0.1").port(0).handle(adapter).bindNow();
    }
}
