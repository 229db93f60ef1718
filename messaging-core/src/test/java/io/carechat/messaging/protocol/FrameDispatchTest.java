package io.carechat.messaging.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The frame hierarchies are closed, and every frame type is handled everywhere: it has its own
 * visitor method, {@code accept} calls that method, and the codec writes and reads it back. A frame
 * added to {@code permits} without a visitor method fails to compile; one without a sample frame in
 * {@link ProtocolCodecTest}, or one the codec cannot decode, fails here.
 */
@DisplayName("Frame dispatch")
class FrameDispatchTest {
    private static final ProtocolCodec CODEC = ProtocolCodec.withDefaults();

    @Nested
    @DisplayName("client frames")
    class ClientFrames {
        private final List<Class<?>> types = permitted(ClientFrame.class);

        @Test
        @DisplayName("form a sealed hierarchy of records")
        void sealedRecords() {
            assertThat(ClientFrame.class.isSealed()).isTrue();
            assertThat(types).isNotEmpty().allSatisfy(type -> assertThat(type.isRecord()).as(type.getName()).isTrue());
        }

        @Test
        @DisplayName("each type has exactly one visitor method, named after it, and no visitor method is left over")
        void oneVisitorMethodPerType() {
            assertThat(visitorMethods(ClientFrame.Visitor.class)).isEqualTo(expectedVisitorMethods(types));
        }

        @Test
        @DisplayName("each type has a sample frame, with a distinct wire type")
        void samplesCoverEveryType() {
            List<ClientFrame> samples = ProtocolCodecTest.clientFrames().toList();
            assertThat(samples.stream().map(Object::getClass).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(types);
            assertThat(samples.stream().collect(Collectors.groupingBy(ClientFrame::type,
                    Collectors.mapping(Object::getClass, Collectors.toSet()))))
                    .allSatisfy((type, classes) -> assertThat(classes).as(type).hasSize(1));
        }

        @Test
        @DisplayName("accept calls the visitor method of the frame's own type")
        void acceptDispatchesToItsOwnMethod() {
            ClientFrame.Visitor<String> recorder = recorder(ClientFrame.Visitor.class);
            ProtocolCodecTest.clientFrames().forEach(frame -> assertThat(frame.accept(recorder))
                    .isEqualTo("visit" + frame.getClass().getSimpleName() + "(" + frame + ")"));
        }

        @Test
        @DisplayName("every sample round-trips through the codec")
        void roundTrip() {
            ProtocolCodecTest.clientFrames().forEach(frame ->
                    assertThat(CODEC.decodeClient(CODEC.encode(frame))).isEqualTo(frame));
        }
    }

    @Nested
    @DisplayName("server frames")
    class ServerFrames {
        private final List<Class<?>> types = permitted(ServerFrame.class);

        @Test
        @DisplayName("form a sealed hierarchy of records")
        void sealedRecords() {
            assertThat(ServerFrame.class.isSealed()).isTrue();
            assertThat(types).isNotEmpty().allSatisfy(type -> assertThat(type.isRecord()).as(type.getName()).isTrue());
        }

        @Test
        @DisplayName("each type has exactly one visitor method, named after it, and no visitor method is left over")
        void oneVisitorMethodPerType() {
            assertThat(visitorMethods(ServerFrame.Visitor.class)).isEqualTo(expectedVisitorMethods(types));
        }

        @Test
        @DisplayName("each type has a sample frame, with a distinct wire type (a notice's type with its kind)")
        void samplesCoverEveryType() {
            List<ServerFrame> samples = ProtocolCodecTest.serverFrames().toList();
            assertThat(samples.stream().map(Object::getClass).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(types);
            assertThat(samples.stream().collect(Collectors.groupingBy(FrameDispatchTest::wireType,
                    Collectors.mapping(Object::getClass, Collectors.toSet()))))
                    .allSatisfy((type, classes) -> assertThat(classes).as(type).hasSize(1));
        }

        @Test
        @DisplayName("accept calls the visitor method of the frame's own type")
        void acceptDispatchesToItsOwnMethod() {
            ServerFrame.Visitor<String> recorder = recorder(ServerFrame.Visitor.class);
            ProtocolCodecTest.serverFrames().forEach(frame -> assertThat(frame.accept(recorder))
                    .isEqualTo("visit" + frame.getClass().getSimpleName() + "(" + frame + ")"));
        }

        @Test
        @DisplayName("every sample round-trips through the codec")
        void roundTrip() {
            ProtocolCodecTest.serverFrames().forEach(frame ->
                    assertThat(CODEC.decodeServer(CODEC.encode(frame))).isEqualTo(frame));
        }

        @Test
        @DisplayName("ref() is the request's ref on replies and null on pushes")
        void refOnTheBaseType() {
            ProtocolCodecTest.serverFrames().forEach(frame -> {
                boolean reply = Arrays.stream(frame.getClass().getRecordComponents())
                        .anyMatch(component -> component.getName().equals("ref"));
                if (!reply) {
                    assertThat(frame.ref()).as(frame.type()).isNull();
                }
            });
            assertThat(new ServerFrame.Pong("p1").ref()).isEqualTo("p1");
        }
    }

    private static List<Class<?>> permitted(Class<?> sealed) {
        return List.of(sealed.getPermittedSubclasses());
    }

    /** The visitor's methods as {@code visitX(parameter type)}. */
    private static Set<String> visitorMethods(Class<?> visitor) {
        return Arrays.stream(visitor.getDeclaredMethods())
                .map(m -> m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getName)
                        .collect(Collectors.joining(",", "(", ")")))
                .collect(Collectors.toSet());
    }

    private static Set<String> expectedVisitorMethods(List<Class<?>> types) {
        return types.stream().map(type -> "visit" + type.getSimpleName() + "(" + type.getName() + ")")
                .collect(Collectors.toSet());
    }

    /** A visitor whose every method answers with its own name and its argument. */
    @SuppressWarnings("unchecked")
    private static <V> V recorder(Class<?> visitor) {
        return (V) Proxy.newProxyInstance(visitor.getClassLoader(), new Class<?>[] {visitor},
                (proxy, method, args) -> describe(method, args));
    }

    private static String describe(Method method, Object[] args) {
        return method.getName() + Stream.of(args).map(String::valueOf).collect(Collectors.joining(",", "(", ")"));
    }

    /** A frame's {@code type} on the wire, with its {@code kind} when it has one (notices). */
    private static String wireType(ServerFrame frame) {
        try {
            com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(CODEC.encode(frame));
            return json.path("type").asText() + "/" + json.path("kind").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
