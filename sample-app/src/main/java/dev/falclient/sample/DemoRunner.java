package dev.falclient.sample;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs one demo generation at startup and lets the event listeners log its lifecycle: in emulator mode a few
 * background requests go first, so the demo waits in the queue and its position counts down; then it runs, logs its
 * lines, and completes with an image URL. Runs in the background, bounded by {@code sample.demo.timeout}: it never
 * delays startup. Off with {@code sample.demo.enabled=false}; against real fal only with
 * {@code sample.demo.in-live-mode=true} (it spends credits).
 */
@Component
public class DemoRunner implements ApplicationRunner, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DemoRunner.class);

    private final GenerationService generations;
    private final GenerationEventStore store;
    private final FalModeReport mode;
    private final SampleProperties properties;
    private final Environment environment;
    private volatile Disposable running;

    public DemoRunner(GenerationService generations, GenerationEventStore store, FalModeReport mode,
                      SampleProperties properties, Environment environment) {
        this.generations = generations;
        this.store = store;
        this.mode = mode;
        this.properties = properties;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        SampleProperties.Demo demo = properties.demo();
        if (!demo.enabled()) {
            log.info("Demo generation disabled (sample.demo.enabled=false)");
            return;
        }
        boolean emulator = mode.resolution().emulator();
        if (!emulator && !demo.inLiveMode()) {
            log.info("Demo generation skipped in live mode, it would spend fal credits "
                    + "(set sample.demo.in-live-mode=true to run it)");
            return;
        }
        String page = "http://localhost:" + environment.getProperty("local.server.port", "8080") + "/";
        int background = emulator ? Math.max(0, demo.backgroundRequests()) : 0;
        Duration timeout = demo.timeout();
        log.info("Demo: submitting {} background request(s), then the demo generation '{}'", background, demo.prompt());
        running = Flux.range(1, background)
                .concatMap(i -> generations.submitUntracked("background request " + i))
                .then(Mono.defer(() -> generations.submit(demo.prompt(), BrowserSession.APP)))
                .flatMap(submitted -> {
                    log.info("Demo: generation {} submitted; its lifecycle is logged here (a browser sees only the "
                            + "generations it made)", submitted.requestId());
                    return Mono.justOrEmpty(store.events(submitted.requestId()))
                            .flatMap(events -> events.filter(GenerationEvent::terminal).next());
                })
                .timeout(timeout)
                .subscribe(last -> {
                    if (GenerationEvent.RESULT.equals(last.type())) {
                        log.info("Demo: done, image at {}", last.imageUrl());
                    } else {
                        log.warn("Demo: ended {}: {}", last.type(), last.error());
                    }
                    log.info("Sample ready: open {} to generate your own", page);
                }, error -> {
                    if (error instanceof TimeoutException) {
                        log.warn("Demo: no outcome within {} (sample.demo.timeout); the app keeps serving",
                                GenerationService.human(timeout));
                    } else {
                        log.warn("Demo generation failed: {}; the app keeps serving", error.toString());
                    }
                });
    }

    @Override
    public void destroy() {
        Disposable d = running;
        if (d != null) {
            d.dispose();
        }
    }
}
