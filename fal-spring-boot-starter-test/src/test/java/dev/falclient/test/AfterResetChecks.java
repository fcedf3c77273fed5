package dev.falclient.test;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Runs checks that a test registers with {@link #afterReset(Runnable)} once the test is over and its emulator reset
 * has happened (or would have happened), so that a test can leave state behind and assert what became of it without
 * depending on which test runs next.
 * <ul>
 *   <li>JUnit: register it with {@code @RegisterExtension @Order(1)} before (outside) the
 *   {@link FalEmulatorExtension}, whose after-each reset or close then runs first.</li>
 *   <li>Spring: {@code @TestExecutionListeners(listeners = AfterResetChecks.class, mergeMode = MERGE_WITH_DEFAULTS)};
 *   ordered before {@link FalEmulatorResetTestExecutionListener}, its after-test-method callback runs after the
 *   reset (after-callbacks run in reverse order).</li>
 * </ul>
 */
final class AfterResetChecks extends AbstractTestExecutionListener implements BeforeEachCallback, AfterEachCallback {

    private static final ThreadLocal<List<Runnable>> PENDING = new ThreadLocal<>();

    /** Runs {@code check} after the current test, once its emulator was reset (or left alone). */
    static void afterReset(Runnable check) {
        List<Runnable> pending = PENDING.get();
        if (pending == null) {
            throw new IllegalStateException("AfterResetChecks is not registered for this test");
        }
        pending.add(check);
    }

    @Override
    public int getOrder() {
        return new FalEmulatorResetTestExecutionListener().getOrder() - 1;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        collect();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        runPending();
    }

    @Override
    public void beforeTestMethod(TestContext testContext) {
        collect();
    }

    @Override
    public void afterTestMethod(TestContext testContext) {
        runPending();
    }

    private static void collect() {
        PENDING.set(new ArrayList<>());
    }

    private static void runPending() {
        List<Runnable> pending = PENDING.get();
        PENDING.remove();
        if (pending != null) {
            pending.forEach(Runnable::run);
        }
    }
}
