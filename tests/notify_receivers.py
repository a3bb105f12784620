"""Real receivers on 127.0.0.1 for `candor notify`: one HTTP server per webhook kind, and an
SMTP server (aiosmtpd) with STARTTLS and a login, its certificate from a throwaway CA.

Import as `from notify_receivers import ...` (see candor_sites for why not conftest)."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """An HTTP endpoint that records what it accepted. `script` holds the statuses to answer
    with, one per request, before answering `ok` for good."""

    kind: str
    ok: int = 200
    echo: bool = False  # refusals quote the request's address and headers, as some APIs do
    script: list[int | tuple[int, dict[str, str]]] = field(default_factory=list)
    accepted: list[Request] = field(default_factory=list)
    refused: list[Request] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, request: Request) -> tuple[int, dict[str, str]]:
        with self.lock:
            step = self.script.pop(0) if self.script else self.ok
            status, headers = step if isinstance(step, tuple) else (step, {})
            (self.accepted if 200 <= status < 300 else self.refused).append(request)
            return status, headers


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            headers = {k.lower(): v for k, v in self.headers.items()}
            request = Request(self.path, headers, self.rfile.read(length))
            status, headers = receiver.answer(request)
            body = b"" if status == 204 else (b"ok" if status < 300 else b'{"error":"no"}')
            if receiver.echo and status >= 300:
                auth = request.headers.get("authorization")
                quoted = {"error": "refused", "authorization": auth, "path": request.path}
                body = json.dumps(quoted).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


def start(receiver: Receiver) -> Receiver:
    receiver.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    threading.Thread(target=receiver.server.serve_forever, daemon=True).start()
    return receiver


def stop(receiver: Receiver) -> None:
    if receiver.server is not None:
        receiver.server.shutdown()
        receiver.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    """An SMTP server that takes mail only over TLS (STARTTLS or implicit), after a login."""

    port: int
    ca_file: Path
    user: str
    password: str
    messages: list[Message] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    controller: Any = None
    refuse: str | None = None  # an SMTP reply to answer each message with, e.g. "554 ..."


def start_mailbox(tmp: Path, user: str, password: str, *, implicit_tls: bool = False) -> Mailbox:
    """STARTTLS on a plain connection (port 587's way), or TLS from the first byte (465's)."""
    import trustme
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    ca_file = tmp / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    box = Mailbox(free_port(), ca_file, user, password)

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            if box.refuse is not None:
                return box.refuse
            box.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            box.messages.append(
                message_from_bytes(envelope.original_content or envelope.content, policy=default)
            )
            return "250 OK"

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        good = (
            isinstance(data, LoginPassword)
            and data.login == user.encode()
            and data.password == password.encode()
        )
        # handled=False: aiosmtpd answers a refusal with 535 itself (else it says nothing).
        return AuthResult(success=good, handled=False)

    # aiosmtpd's auth_require_tls knows only STARTTLS; an implicit-TLS socket is TLS already.
    tls: dict[str, Any] = (
        {"ssl_context": context, "auth_require_tls": False}
        if implicit_tls
        else {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
    )
    box.controller = Controller(
        Handler(), hostname="127.0.0.1", port=box.port, authenticator=authenticator, **tls
    )
    box.controller.start()
    return box


def receivers() -> Iterator[str]:
    yield from ("webhook", "slack", "discord", "teams", "mastodon")
