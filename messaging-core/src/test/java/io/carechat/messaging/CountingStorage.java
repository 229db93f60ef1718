package io.carechat.messaging;

import io.carechat.messaging.spi.ConversationStore;
import io.carechat.messaging.spi.ForwardingStorage;
import io.carechat.messaging.spi.MessageStore;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.UserStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Storage that counts every call to its user, conversation and message stores, by
 * {@code store.method} (such as {@code users.find}), and hands each call to the real store.
 * Thread-safe.
 */
final class CountingStorage extends ForwardingStorage {
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final UserStore users;
    private final ConversationStore conversations;
    private final MessageStore messages;

    CountingStorage(MessagingStorage real) {
        super(real);
        this.users = counting("users", UserStore.class, real.users());
        this.conversations = counting("conversations", ConversationStore.class, real.conversations());
        this.messages = counting("messages", MessageStore.class, real.messages());
    }

    /** How many times a method was called since the last {@link #reset()}, such as {@code users.find}. */
    int count(String storeAndMethod) {
        AtomicInteger count = calls.get(storeAndMethod);
        return count == null ? 0 : count.get();
    }

    /** Every method called since the last {@link #reset()}, as {@code store.method}. */
    Map<String, Integer> counts() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        calls.forEach((name, count) -> counts.put(name, count.get()));
        return counts;
    }

    void reset() {
        calls.clear();
    }

    private <T> T counting(String store, Class<T> type, T target) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    calls.computeIfAbsent(store + "." + method.getName(), k -> new AtomicInteger()).incrementAndGet();
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }));
    }

    @Override
    public UserStore users() {
        return users;
    }

    @Override
    public ConversationStore conversations() {
        return conversations;
    }

    @Override
    public MessageStore messages() {
        return messages;
    }
}
