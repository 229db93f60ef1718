package io.carechat.messaging.error;

import io.carechat.messaging.Messaging;
import java.util.List;

/**
 * A configuration that cannot work, with every problem found. Thrown by builders'
 * {@code build()} methods; a misuse of the API, so not a {@link MessagingException}.
 */
public class ConfigurationException extends IllegalStateException {
    private final List<String> problems;

    /**
     * Creates the exception.
     *
     * @param what the thing being configured, such as "Messaging"
     * @param problems one line per problem, not empty
     */
    public ConfigurationException(String what, List<String> problems) {
        super(what + " is misconfigured: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * Every problem found.
     *
     * @return one line per problem
     */
    public List<String> problems() {
        return problems;
    }
}
