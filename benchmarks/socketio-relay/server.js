// A Socket.IO 4 relay, the peer CareChat's end-to-end benchmark compares against.
// Each client connects with the query ?pair=<n>&role=send|recv; every "msg" event a sender emits is
// forwarded, unchanged, to the receiver of the same pair. Listens on loopback only; prints
// "listening <port>" once ready; exits on SIGTERM, on stdin closing (its parent is gone) or after
// the maximum run time given as the second argument (seconds).
'use strict';
const http = require('http');
const { Server } = require('socket.io');

const port = Number(process.argv[2] || 0);
const maxSeconds = Number(process.argv[3] || 1800);

const server = http.createServer();
const io = new Server(server, { serveClient: false, perMessageDeflate: false, transports: ['websocket'] });
const receivers = new Map();

io.on('connection', (socket) => {
  const pair = String(socket.handshake.query.pair);
  const role = String(socket.handshake.query.role);
  if (role === 'recv') {
    receivers.set(pair, socket);
    socket.on('disconnect', () => {
      if (receivers.get(pair) === socket) receivers.delete(pair);
    });
  } else {
    socket.on('msg', (payload) => {
      const receiver = receivers.get(pair);
      if (receiver) receiver.emit('msg', payload);
    });
  }
});

function stop() {
  io.close();
  server.close();
  setTimeout(() => process.exit(0), 200).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
setTimeout(stop, maxSeconds * 1000).unref();

server.listen(port, '127.0.0.1', () => {
  console.log('listening ' + server.address().port);
});
