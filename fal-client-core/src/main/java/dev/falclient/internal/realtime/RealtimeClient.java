package dev.falclient.internal.realtime;

import dev.falclient.internal.ClientConfig;
import dev.falclient.internal.http.FalTransport;
import dev.falclient.internal.json.FalJson;
import dev.falclient.realtime.AsyncFalRealtime;
import dev.falclient.realtime.FalRealtime;
import dev.falclient.realtime.FalRealtimeConnection;
import dev.falclient.realtime.RealtimeOptions;
import java.util.Objects;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/** Both faces of the realtime API over one token cache. */
public final class RealtimeClient implements AsyncFalRealtime, FalRealtime {

    private final ClientConfig config;
    private final FalTransport transport;
    private final RealtimeTokens tokens;
    private final Frames frames;

    public RealtimeClient(ClientConfig config, FalTransport transport, FalJson json) {
        this.config = config;
        this.transport = transport;
        this.tokens = new RealtimeTokens(transport, json, config.urls().restUrl());
        this.frames = new Frames(json);
    }

    @Override
    public Flux<JsonNode> connect(String endpointId, Flux<?> inputs, RealtimeOptions options) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(options, "options");
        RealtimeTarget target = RealtimeTarget.of(endpointId, options.path(), config.urls().runUrl());
        return Flux.defer(() -> new RealtimeSession(target, options, transport, tokens, frames,
                config.http().maxInMemorySize(), config.http().responseTimeout()).outputs(inputs));
    }

    @Override
    public FalRealtimeConnection connect(String endpointId, RealtimeOptions options) {
        return BlockingConnection.open(this, endpointId, options, null);
    }

    @Override
    public FalRealtimeConnection connect(String endpointId, RealtimeOptions options,
                                         Consumer<? super JsonNode> onOutput) {
        return BlockingConnection.open(this, endpointId, options, Objects.requireNonNull(onOutput, "onOutput"));
    }
}
