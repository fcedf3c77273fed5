package dev.falclient.spring.autoconfigure;

import dev.falclient.AsyncFalClient;
import dev.falclient.FalClient;
import dev.falclient.FalRequestListener;
import dev.falclient.settings.UrlSettings;
import dev.falclient.spring.event.FalEventPublisher;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configures an {@link AsyncFalClient} and its blocking view {@link FalClient} from {@code fal.*}
 * properties ({@link FalProperties}), the {@link FalConnectionDetails} bean (key and URLs), Boot's {@code WebClient.Builder} (cloned, then customised by every
 * {@link FalWebClientCustomizer}), every {@link FalRequestListener} bean (including the
 * {@link FalEventPublisher} that turns request lifecycles into application events), and finally every
 * {@link FalClientBuilderCustomizer}. Listener calls run on the executor bean named
 * {@value #LISTENER_EXECUTOR_BEAN_NAME}. Every bean backs off when the application defines its own.
 *
 * <pre>{@code
 * @Service
 * class Images {
 *     private final FalClient fal;
 *     Images(FalClient fal) { this.fal = fal; }
 *     JsonNode draw(String prompt) { return fal.subscribe("fal-ai/flux/schnell", Map.of("prompt", prompt)); }
 * }
 * }</pre>
 *
 * <p>A missing key never fails the start: the beans exist and the first call throws
 * {@link dev.falclient.MissingCredentialsException}. Disable everything with {@code fal.enabled=false}.
 */
@AutoConfiguration(after = { WebClientAutoConfiguration.class, TaskExecutionAutoConfiguration.class })
@ConditionalOnClass({ AsyncFalClient.class, WebClient.class })
@ConditionalOnBooleanProperty(name = "fal.enabled", matchIfMissing = true)
@EnableConfigurationProperties(FalProperties.class)
public final class FalAutoConfiguration {

    /**
     * Name of the {@link Executor} bean the client delivers listener calls (and so application events) on. Define
     * your own bean of this name to replace the starter's bounded {@code fal-events-*} pool; declare it with
     * {@code @Bean(defaultCandidate = false)} so that it does not shadow the application's task executor. It must
     * reject (throw {@link java.util.concurrent.RejectedExecutionException}) rather than run a task on the calling
     * thread.
     */
    public static final String LISTENER_EXECUTOR_BEAN_NAME = "falListenerExecutor";

    // The three client methods are evaluated in declaration order: build a client unless the application has
    // one (of either face); reuse an application FalClient's async face; expose the blocking face.

    @Bean
    @ConditionalOnMissingBean({ AsyncFalClient.class, FalClient.class })
    AsyncFalClient asyncFalClient(FalProperties properties, FalConnectionDetails connectionDetails,
            ObjectProvider<WebClient.Builder> webClientBuilder,
            ObjectProvider<FalWebClientCustomizer> webClientCustomizers,
            ObjectProvider<FalRequestListener> listeners,
            ObjectProvider<FalClientBuilderCustomizer> builderCustomizers,
            ObjectProvider<HttpClientSettings> httpClientSettings, ObjectProvider<SslBundles> sslBundles,
            @Qualifier(LISTENER_EXECUTOR_BEAN_NAME) Executor listenerExecutor, FalListenerDrops listenerDrops,
            ListableBeanFactory beanFactory) {
        WebClient.Builder webClient = webClientBuilder.getIfAvailable(WebClient::builder).clone();
        webClientCustomizers.orderedStream().forEach(customizer -> customizer.customize(webClient));
        AsyncFalClient.Builder builder = AsyncFalClient.builder();
        configure(builder, properties);
        FalConnectors connectors = FalConnectors.of(properties,
                httpClientSettings.getIfAvailable(HttpClientSettings::defaults), sslBundles::getObject);
        UrlSettings urls = connectionDetails.getUrls();
        builder.urls(urls)
                .credentials(connectionDetails.getCredentials())
                .webClientBuilder(webClient)
                .httpClient(connectors.httpClient())
                .connector(connectors.connector())
                .listenerExecutor(listenerDrops.counting(listenerExecutor));
        if (beanFactory.getBeanNamesForType(FalRequestListener.class, true, false).length > 0) {
            builder.listener(new FalListenerBeans(listeners));
        }
        builderCustomizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        AsyncFalClient client = builder.build();
        FalStartupLog.log(client, connectionDetails, urls);
        return client;
    }

    /**
     * Maps every {@code fal.*} value except connection details (key, URLs) and connector settings onto the core
     * builder.
     */
    static void configure(AsyncFalClient.Builder builder, FalProperties properties) {
        builder.http(properties.http())
                .waiting(properties.waiting())
                .retry(properties.retry().settings())
                .pool(properties.pool().settings())
                .storage(properties.storage().settings())
                .tracking(properties.events().tracking());
        PropertyMapper map = PropertyMapper.get();
        map.from(properties::defaultPriority).to(builder::defaultPriority);
        map.from(properties::defaultHeaders).to(headers -> headers.forEach(builder::defaultHeader));
        map.from(properties.webhook()::url).to(builder::defaultWebhookUrl);
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(AsyncFalClient.class)
    @ConditionalOnBean(FalClient.class)
    AsyncFalClient asyncFalClientOfFalClient(FalClient falClient) {
        return falClient.async();
    }

    /** The blocking face shares the async client's pool, which that bean's {@code close()} releases. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    FalClient falClient(AsyncFalClient asyncFalClient) {
        return asyncFalClient.blocking();
    }

    /** Key and URLs from {@code fal.*} properties and the environment, unless the application defines its own. */
    @Bean
    @ConditionalOnMissingBean(FalConnectionDetails.class)
    PropertiesFalConnectionDetails falConnectionDetails(FalProperties properties, Environment environment) {
        return new PropertiesFalConnectionDetails(properties, environment);
    }

    /**
     * The bounded {@code fal-events-*} pool. Not a default autowiring candidate, so it neither shadows the
     * application's task executor (Boot's {@code applicationTaskExecutor} is still created) nor makes injecting an
     * {@link Executor} ambiguous.
     */
    @Bean(name = LISTENER_EXECUTOR_BEAN_NAME, defaultCandidate = false)
    @ConditionalOnMissingBean(name = LISTENER_EXECUTOR_BEAN_NAME)
    ThreadPoolTaskExecutor falListenerExecutor(FalProperties properties, ResourceLoader resourceLoader) {
        return FalListenerExecutor.build(properties.events(), resourceLoader.getClassLoader());
    }

    @Bean
    @ConditionalOnMissingBean
    FalListenerDrops falListenerDrops() {
        return new FalListenerDrops();
    }

    /**
     * The {@value FalListenerDrops#DROPPED_METER} counter, bound by Boot's metrics auto-configuration when a
     * {@code MeterRegistry} exists. It lives here because the drop counter is this package's.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    @ConditionalOnBooleanProperty(name = "fal.metrics.enabled", matchIfMissing = true)
    static final class FalListenerExecutorMetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "falListenerExecutorMetrics")
        MeterBinder falListenerExecutorMetrics(FalListenerDrops falListenerDrops) {
            return registry -> FunctionCounter.builder(FalListenerDrops.DROPPED_METER, falListenerDrops,
                            FalListenerDrops::dropped)
                    .description("fal listener callbacks (and so application events) dropped because the "
                            + "fal-events executor was full or shut down")
                    .register(registry);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "fal.events.enabled", matchIfMissing = true)
    static final class FalEventsConfiguration {

        @Bean
        @ConditionalOnMissingBean(value = FalEventPublisher.class, name = "falEventPublisher")
        FalEventPublisher falEventPublisher(ApplicationEventPublisher applicationEventPublisher,
                ObjectProvider<AsyncFalClient> asyncFalClient) {
            // the client's mapper, looked up at the first result: the client is built after its listeners
            return new FalEventPublisher(applicationEventPublisher, () -> {
                AsyncFalClient client = asyncFalClient.getIfUnique();
                return client == null ? null : client.jsonMapper();
            });
        }
    }
}
