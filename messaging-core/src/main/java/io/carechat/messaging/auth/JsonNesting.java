package io.carechat.messaging.auth;

/**
 * Measures how deeply a JSON text nests objects and arrays, without parsing it, so a token whose
 * header or claims nest absurdly deep is refused before any parser recurses into it. Stateless.
 */
final class JsonNesting {

    private JsonNesting() {}

    /**
     * The deepest nesting of {@code {}} and {@code []} outside strings.
     *
     * @param json the text (need not be valid JSON)
     * @return the depth; 1 for a flat object
     */
    static int depth(String json) {
        int depth = 0;
        int deepest = 0;
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
                deepest = Math.max(deepest, depth);
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return deepest;
    }
}
