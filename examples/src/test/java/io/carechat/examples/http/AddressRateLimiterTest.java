package io.carechat.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Each address gets its own budget of unauthenticated requests per minute")
class AddressRateLimiterTest {
    private final AtomicLong now = new AtomicLong();
    private final AddressRateLimiter limiter = new AddressRateLimiter(10, now::get);

    @Test
    @DisplayName("An address gets its budget at once, then is refused")
    void budgetThenRefusal() {
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.tryAcquire("10.0.0.1")).as("request " + (i + 1)).isTrue();
        }
        assertThat(limiter.tryAcquire("10.0.0.1")).isFalse();
    }

    @Test
    @DisplayName("Other addresses keep their own budget")
    void addressesAreSeparate() {
        for (int i = 0; i < 10; i++) {
            limiter.tryAcquire("10.0.0.1");
        }
        assertThat(limiter.tryAcquire("10.0.0.1")).isFalse();
        assertThat(limiter.tryAcquire("10.0.0.2")).isTrue();
    }

    @Test
    @DisplayName("The budget comes back evenly over a minute, never above its size")
    void budgetRefills() {
        for (int i = 0; i < 10; i++) {
            limiter.tryAcquire("10.0.0.1");
        }
        now.addAndGet(6_000_000_000L);
        assertThat(limiter.tryAcquire("10.0.0.1")).as("one back after six seconds").isTrue();
        assertThat(limiter.tryAcquire("10.0.0.1")).isFalse();
        now.addAndGet(3_600_000_000_000L);
        int allowed = 0;
        while (limiter.tryAcquire("10.0.0.1")) {
            allowed++;
        }
        assertThat(allowed).as("an hour later, still only the budget").isEqualTo(10);
    }

    @Test
    @DisplayName("Forgetting the oldest address bounds memory, at the price of a fresh budget for it")
    void addressesAreBounded() {
        for (int i = 0; i < 10; i++) {
            limiter.tryAcquire("first");
        }
        for (int i = 0; i < AddressRateLimiter.MAX_ADDRESSES; i++) {
            limiter.tryAcquire("addr-" + i);
        }
        assertThat(limiter.tryAcquire("first")).as("forgotten, so a new budget").isTrue();
    }

    @Test
    @DisplayName("A refusal says how many whole seconds until the next request is earned back")
    void refusalSaysWhenToRetry() {
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.acquire("10.0.0.1")).isZero();
        }
        assertThat(limiter.acquire("10.0.0.1")).as("one request per six seconds comes back").isEqualTo(6);
        now.addAndGet(4_500_000_000L);
        assertThat(limiter.acquire("10.0.0.1")).as("rounded up").isEqualTo(2);
    }

    @Test
    @DisplayName("An address unseen for a minute is forgotten, since its budget is whole again")
    void idleAddressesAreForgotten() {
        limiter.tryAcquire("10.0.0.1");
        limiter.tryAcquire("10.0.0.2");
        now.addAndGet(30_000_000_000L);
        limiter.tryAcquire("10.0.0.2");
        now.addAndGet(30_000_000_000L);
        limiter.tryAcquire("10.0.0.3");
        assertThat(limiter.size()).as("10.0.0.1 idle for a minute, the others not").isEqualTo(2);
    }
}
