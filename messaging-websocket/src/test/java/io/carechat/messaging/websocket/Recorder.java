package io.carechat.messaging.websocket;

import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.protocol.ServerFrame;
import io.carechat.messaging.websocket.client.CareChatListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that records what a client heard. Thread-safe. */
final class Recorder implements CareChatListener {
    /** A close the client saw. */
    record Disconnect(int code, String reason) {}

    final List<ServerFrame.Ready> readies = new CopyOnWriteArrayList<>();
    final List<ServerFrame.Ready> reconnects = new CopyOnWriteArrayList<>();
    final List<MessageView> messages = new CopyOnWriteArrayList<>();
    final List<ServerFrame.Receipt> receipts = new CopyOnWriteArrayList<>();
    final List<ServerFrame.Unread> unreads = new CopyOnWriteArrayList<>();
    final List<ServerFrame.Error> errors = new CopyOnWriteArrayList<>();
    final List<Disconnect> disconnects = new CopyOnWriteArrayList<>();
    final List<ServerFrame.Typing> typing = new CopyOnWriteArrayList<>();
    final List<ServerFrame.Presence> presence = new CopyOnWriteArrayList<>();
    final List<ServerFrame.Members> members = new CopyOnWriteArrayList<>();

    @Override
    public void onMembers(ServerFrame.Members frame) {
        members.add(frame);
    }

    @Override
    public void onTyping(ServerFrame.Typing frame) {
        typing.add(frame);
    }

    @Override
    public void onPresence(ServerFrame.Presence frame) {
        presence.add(frame);
    }

    @Override
    public void onReady(ServerFrame.Ready ready) {
        readies.add(ready);
    }

    @Override
    public void onReconnected(ServerFrame.Ready ready) {
        reconnects.add(ready);
    }

    @Override
    public void onMessage(MessageView message) {
        messages.add(message);
    }

    @Override
    public void onReceipt(ServerFrame.Receipt receipt) {
        receipts.add(receipt);
    }

    @Override
    public void onUnread(ServerFrame.Unread unread) {
        unreads.add(unread);
    }

    @Override
    public void onError(ServerFrame.Error error) {
        errors.add(error);
    }

    @Override
    public void onDisconnected(int code, String reason) {
        disconnects.add(new Disconnect(code, reason));
    }

    List<String> bodies() {
        return messages.stream().map(MessageView::body).toList();
    }

    void awaitMessages(int count) {
        Await.until(count + " messages, had " + messages.size(), () -> messages.size() >= count);
    }

    Disconnect awaitDisconnect() {
        Await.until("a disconnect", () -> !disconnects.isEmpty());
        return disconnects.get(0);
    }
}
