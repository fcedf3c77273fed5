package dev.falclient.sample;

import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * Serves {@link RealtimeSocketHandler} on {@value RealtimeSocketHandler#PATH}, with browser messages bounded by
 * {@code sample.realtime.max-message-size} (a larger one closes the socket with 1009 before it is read whole).
 */
@Configuration(proxyBeanMethods = false)
public class RealtimeSocketConfiguration implements WebFluxConfigurer {

    private final SampleProperties properties;

    public RealtimeSocketConfiguration(SampleProperties properties) {
        this.properties = properties;
    }

    @Bean
    HandlerMapping realtimeSocketMapping(RealtimeSocketHandler handler) {
        // ahead of the annotated controllers and the static resources
        return new SimpleUrlHandlerMapping(Map.of(RealtimeSocketHandler.PATH, handler), -1);
    }

    @Override
    public WebSocketService getWebSocketService() {
        int maxMessage = (int) properties.realtime().maxMessageSize().toBytes();
        return new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
                () -> WebsocketServerSpec.builder().maxFramePayloadLength(maxMessage)));
    }
}
