package dev.falclient.sample;

import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /images/{token}}: relays a generated image from where fal stored it (see {@link ImageLinks}), streamed
 * through without buffering it whole. Anything but an image is refused (502), an unknown token is a 404.
 */
@RestController
public class ImageController {

    private static final Logger log = LoggerFactory.getLogger(ImageController.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ImageLinks links;
    private final WebClient http;

    public ImageController(ImageLinks links, WebClient.Builder builder) {
        this.links = links;
        this.http = builder.build();
    }

    @GetMapping("/images/{token}")
    public Mono<ResponseEntity<Flux<DataBuffer>>> image(@PathVariable String token) {
        URI target = links.target(token).orElseThrow(() ->
                new GenerationErrors.GenerationNotFound("No such image"));
        return http.get().uri(target).accept(MediaType.parseMediaType("image/*"))
                .retrieve()
                .toEntityFlux(DataBuffer.class)
                .timeout(TIMEOUT)
                .flatMap(entity -> {
                    MediaType type = entity.getHeaders().getContentType();
                    if (type == null || !"image".equals(type.getType())) {
                        log.warn("Image {} is {}, not an image: refused", target, type);
                        return entity.getBody().doOnNext(DataBufferUtils::release)
                                .then(Mono.just(ResponseEntity.status(HttpStatus.BAD_GATEWAY).<Flux<DataBuffer>>build()));
                    }
                    return Mono.just(ResponseEntity.ok().contentType(type)
                            .cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePrivate())
                            .body(entity.getBody()));
                })
                .onErrorResume(e -> !(e instanceof GenerationErrors.ApiException), e -> {
                    log.warn("Image {} could not be fetched: {}", target, e.toString());
                    return Mono.just(ResponseEntity.status(HttpStatus.BAD_GATEWAY).build());
                });
    }
}
