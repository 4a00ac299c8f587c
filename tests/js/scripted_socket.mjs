// A stand-in for the server's side of a WebSocket, for node tests of the client: sockets
// open at once, record what the client sends, and say what the test tells them to.

const EMPTY_POOL = { numToAttrib: {}, nextNum: 0 };

/** A WebSocket class whose sockets open at once and record what is sent, and its sockets. */
export function scriptedSockets() {
  const sockets = [];
  class Socket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.sent = [];
      sockets.push(this);
      queueMicrotask(() => {
        if (this.readyState !== 0) return;
        this.readyState = 1;
        this.onopen?.();
      });
    }

    send(data) { this.sent.push(JSON.parse(data)); }

    close() {
      if (this.readyState === 3) return;
      this.readyState = 3;
      queueMicrotask(() => this.onclose?.({ code: 1000 }));
    }

    /** The server says `message`. */
    receive(message) { this.onmessage?.({ data: JSON.stringify(message) }); }

    /** The server lets the client in: the pad holds `text` (plain, ending with "\n"). */
    joined(rev = 0, text = '\n') {
      const lines = text.split('\n').length - 1;
      const attribs = `|${lines.toString(36)}+${text.length.toString(36)}`;
      this.receive({ type: 'joined', rev, atext: { text, attribs }, pool: EMPTY_POOL, users: [], chat: [] });
    }
  }
  return { Socket, sockets };
}
