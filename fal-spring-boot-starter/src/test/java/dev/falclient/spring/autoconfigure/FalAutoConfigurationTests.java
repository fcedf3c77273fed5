package dev.falclient.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.AsyncFalClient;
import dev.falclient.FalClient;
import dev.falclient.spring.autoconfigure.health.FalHealthContributorAutoConfiguration;
import dev.falclient.spring.event.FalEventPublisher;
import dev.falclient.spring.health.FalHealthIndicator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class FalAutoConfigurationTests {

    static final AutoConfigurations UPSTREAM = AutoConfigurations.of(CodecsAutoConfiguration.class,
            ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
            HealthContributorAutoConfiguration.class);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(UPSTREAM)
            .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class,
                    FalHealthContributorAutoConfiguration.class));

    @Test
    void shouldCreateClientsEventBridgeAndHealthIndicator() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(AsyncFalClient.class).hasSingleBean(FalClient.class)
                    .hasSingleBean(FalEventPublisher.class).hasSingleBean(FalProperties.class)
                    .hasSingleBean(FalHealthIndicator.class).hasBean("falHealthIndicator");
            assertThat(context.getBean(FalClient.class).async()).isSameAs(context.getBean(AsyncFalClient.class));
        });
    }

    @Test
    void shouldStartWithoutKey() {
        runner.withPropertyValues("fal.key=").run(context -> assertThat(context).hasNotFailed()
                .hasSingleBean(FalClient.class));
    }

    @Test
    void shouldBackOffWhenDisabled() {
        runner.withPropertyValues("fal.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(AsyncFalClient.class).doesNotHaveBean(FalClient.class)
                .doesNotHaveBean(FalEventPublisher.class).doesNotHaveBean(FalProperties.class)
                .doesNotHaveBean(FalHealthIndicator.class));
    }

    @Test
    void shouldNotPublishEventsWhenEventsDisabled() {
        runner.withPropertyValues("fal.events.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(FalEventPublisher.class).hasSingleBean(AsyncFalClient.class);
        });
    }

    @Test
    void userAsyncClientWinsAndBlockingViewFollowsIt() {
        AsyncFalClient mine = AsyncFalClient.builder().key("user-key").build();
        runner.withBean("myAsync", AsyncFalClient.class, () -> mine).run(context -> {
            assertThat(context).getBean(AsyncFalClient.class).isSameAs(mine);
            assertThat(context.getBean(FalClient.class)).isSameAs(mine.blocking());
            assertThat(context).hasSingleBean(FalHealthIndicator.class);
        });
        mine.close();
    }

    @Test
    void userBlockingClientWinsAndAsyncViewFollowsIt() {
        FalClient mine = FalClient.builder().key("user-key").build();
        runner.withBean("myFal", FalClient.class, () -> mine).run(context -> {
            assertThat(context).getBean(FalClient.class).isSameAs(mine);
            assertThat(context).getBean(AsyncFalClient.class).isSameAs(mine.async());
        });
        mine.close();
    }

    @Test
    void userEventPublisherWins() {
        runner.withUserConfiguration(MyPublisherConfig.class).run(context -> {
            assertThat(context).hasSingleBean(FalEventPublisher.class);
            assertThat(context.getBean(FalEventPublisher.class)).isSameAs(MyPublisherConfig.PUBLISHER);
        });
    }

    @Test
    void userHealthIndicatorWins() {
        runner.withBean("falHealthIndicator", HealthIndicator.class, () -> () -> null).run(context -> {
            assertThat(context).doesNotHaveBean(FalHealthIndicator.class).hasBean("falHealthIndicator");
        });
    }

    @Test
    void healthIndicatorCanBeDisabled() {
        runner.withPropertyValues("management.health.fal.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(FalHealthIndicator.class).hasSingleBean(FalClient.class));
    }

    @Test
    void clientWorksWithoutHealthModule() {
        new ApplicationContextRunner()
                .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .withConfiguration(AutoConfigurations.of(CodecsAutoConfiguration.class,
                        ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
                        FalAutoConfiguration.class, FalHealthContributorAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(FalClient.class)
                        .doesNotHaveBean(FalHealthIndicator.class));
    }

    @Test
    void clientWorksWithoutBootWebClientBuilder() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(AsyncFalClient.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class MyPublisherConfig {
        static final FalEventPublisher PUBLISHER = new FalEventPublisher(event -> { });

        @Bean
        FalEventPublisher myPublisher() {
            return PUBLISHER;
        }
    }
}
