"""A minimal WebSocket server (RFC 6455 text frames) standing in for Slack's Socket Mode endpoint."""

import base64
import hashlib
import json
import socket
import struct
import threading
import time

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class MiniSocketModeServer:
    def __init__(self):
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(5)
        self.received: list[dict] = []
        self._conn = None
        self._connected = threading.Event()
        self._cond = threading.Condition()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link/?ticket=t"

    def _accept(self):
        conn, _ = self._listener.accept()
        request = b""
        while b"\r\n\r\n" not in request:
            request += conn.recv(4096)
        key = next(line.split(":", 1)[1].strip() for line in request.decode().split("\r\n")
                   if line.lower().startswith("sec-websocket-key"))
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        conn.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
        self._conn = conn
        self._connected.set()
        self.send({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}})
        self._read_loop(conn)

    def _read_exact(self, conn, n):
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def _read_loop(self, conn):
        try:
            while True:
                b1, b2 = self._read_exact(conn, 2)
                opcode, length = b1 & 0x0F, b2 & 0x7F
                if length == 126:
                    (length,) = struct.unpack(">H", self._read_exact(conn, 2))
                elif length == 127:
                    (length,) = struct.unpack(">Q", self._read_exact(conn, 8))
                mask = self._read_exact(conn, 4) if b2 & 0x80 else b"\0\0\0\0"
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self._read_exact(conn, length)))
                if opcode == 0x9:  # ping → pong
                    self._frame(0xA, payload)
                elif opcode == 0x8:
                    return
                elif opcode == 0x1:
                    with self._cond:
                        self.received.append(json.loads(payload.decode()))
                        self._cond.notify_all()
        except (ConnectionError, OSError):
            return

    def _frame(self, opcode, payload: bytes):
        header = bytes([0x80 | opcode])
        n = len(payload)
        header += bytes([n]) if n < 126 else (bytes([126]) + struct.pack(">H", n) if n < 65536 else bytes([127]) + struct.pack(">Q", n))
        self._conn.sendall(header + payload)

    def send(self, message: dict):
        self._connected.wait(10)
        self._frame(0x1, json.dumps(message, ensure_ascii=False).encode())

    def wait_until_connected(self, timeout=10) -> bool:
        return self._connected.wait(timeout)

    def wait_for_ack(self, envelope_id, timeout=10):
        deadline = time.monotonic() + timeout
        with self._cond:
            while not any(m.get("envelope_id") == envelope_id for m in self.received):
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._cond.wait(left)
            return next(m for m in self.received if m.get("envelope_id") == envelope_id)

    def close(self):
        for s in (self._conn, self._listener):
            try:
                if s:
                    s.close()
            except OSError:
                pass
