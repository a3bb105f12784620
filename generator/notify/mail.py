"""E-mail over SMTP: one message per entry to a list address, with a plain-text and an HTML
part. `Message-ID` is derived from the entry, and every message about an incident carries
`In-Reply-To`/`References` to the incident's first message, so mail clients show the
incident as one thread. The server, port, user and password come from the environment;
STARTTLS (default) or implicit TLS protects the login, and a login over a plain connection
is refused."""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from html import escape
from typing import Any

from generator.notify import delivery
from generator.notify.channel import Sender as Base
from generator.notify.messages import Message

TIMEOUT = 30.0
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}


def _text(raw: bytes | str) -> str:
    """A server's reply text on one line, cut short: it explains a refusal, and is no secret
    (the password travels base64-encoded, and every line goes through the redactor anyway)."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    text = " ".join(text.split())
    return text[:200] + ("…" if len(text) > 200 else "")


def reply(exc: smtplib.SMTPResponseException) -> str:
    """`SMTP 554 5.7.1 rejected by policy`: the code and what the server said with it."""
    text = _text(exc.smtp_error)
    return f"SMTP {exc.smtp_code} {text}" if text else f"SMTP {exc.smtp_code}"


def message_id(slug: str, channel: str, host: str) -> str:
    return f"<{slug}.{channel}@{host}>"


class Sender(Base):
    kind = "email"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._smtp: smtplib.SMTP | None = None

    def email(self, message: Message) -> EmailMessage:
        config: Any = self.config
        site = self.site
        mail = EmailMessage()
        mail["Subject"] = f"[{site.name}] {message.title}"
        mail["From"] = formataddr((site.name, config.from_))
        mail["To"] = config.to
        mail["Date"] = format_datetime(message.at)
        mail["Message-ID"] = message_id(message.slug, self.name, site.host)
        root = message_id(message.thread, self.name, site.host)
        if message.slug != message.thread:
            mail["In-Reply-To"] = root
            mail["References"] = root
        mail["List-Id"] = f"{site.name} <{self.name}.{site.host}>"
        mail["List-Archive"] = f"<{site.url}>"
        if config.unsubscribe_url:
            mail["List-Unsubscribe"] = f"<{config.unsubscribe_url}>"
        mail["Auto-Submitted"] = "auto-generated"
        facts = [f"{site.labels.t('status')}: {message.status_label}"]
        if message.components:
            names = ", ".join(f"{c.name}: {c.status_label}" for c in message.components)
            facts.append(f"{site.labels.t('affected')}: {names}")
        text = "\n".join(
            [message.title, "", *facts, "", message.text, "", f"{message.link_label}:", message.url]
        )
        mail.set_content(text + "\n")
        html_facts = "".join(f"<li>{escape(f)}</li>" for f in facts)
        html = (
            f'<!doctype html><html lang="{site.language}"><body>'
            f"<h1>{escape(message.title)}</h1><ul>{html_facts}</ul>{message.html}"
            f'<p><a href="{escape(message.url)}">{escape(message.link_label)}</a></p>'
            "</body></html>"
        )
        mail.add_alternative(html, subtype="html")
        return mail

    def payload(self, message: Message) -> Any:
        return self.email(message).as_string()

    def _connect(self) -> smtplib.SMTP:
        config: Any = self.config
        host = self.secret("host_env")
        port_text = self.secret("port_env")
        try:
            port = int(port_text) if port_text else DEFAULT_PORTS[config.security]
        except ValueError:
            raise delivery.DeliveryError(
                f"{self.variable('port_env')} is not a port number; set it to e.g. 587"
            ) from None
        user = self.secret("user_env")
        password = self.secret("password_env")
        if (user or password) and config.security == "none":
            raise delivery.DeliveryError(
                "refusing to send the SMTP password over an unencrypted connection: "
                "set `security: starttls` or `tls`"
            )
        context = ssl.create_default_context()
        missing = "STARTTLS"  # what a server that lacks an extension lacks, step by step
        try:
            if config.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=context)
            else:
                smtp = smtplib.SMTP(host, port, timeout=TIMEOUT)
                if config.security == "starttls":
                    smtp.starttls(context=context)
            missing = "a login (SMTP AUTH)"
            if user:
                smtp.login(user, password)
        except smtplib.SMTPAuthenticationError as exc:
            raise delivery.DeliveryError(
                f"the server refused the login ({reply(exc)}): check the user and password in "
                f"{self.variable('user_env')} and {self.variable('password_env')}"
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise delivery.DeliveryError(f"the server does not offer {missing}") from None
        except ssl.SSLCertVerificationError as exc:
            raise delivery.DeliveryError(
                "the SMTP server's certificate was not accepted "
                f"({exc.verify_message or exc.reason}): "
                f"check that {self.variable('host_env')} holds the host name the certificate "
                "is for (not an IP address or an alias), and that the certificate is current "
                "and signed by a publicly trusted authority"
            ) from None
        except ssl.SSLError as exc:
            port_hint = f" (the port in {self.variable('port_env')})" if config.port_env else ""
            raise delivery.DeliveryError(
                f"TLS failed ({exc.reason or exc}): check that `security` suits the server's "
                f"port{port_hint}: `tls` for 465, `starttls` for 587"
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise delivery.DeliveryError(
                f"the SMTP server refused the connection: {reply(exc)}",
                retry=400 <= exc.smtp_code < 500,
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise delivery.DeliveryError(
                f"cannot talk to the SMTP server: {exc}", retry=True
            ) from None
        return smtp

    @contextlib.contextmanager
    def session(self) -> Iterator[None]:
        try:
            yield
        finally:
            if self._smtp is not None:
                with contextlib.suppress(smtplib.SMTPException, OSError):
                    self._smtp.quit()
                self._smtp = None

    def send(self, message: Message) -> None:
        config: Any = self.config
        mail = self.email(message)
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            refused = self._smtp.send_message(mail, from_addr=config.from_, to_addrs=[config.to])
        except smtplib.SMTPResponseException as exc:
            self._drop()
            retry = 400 <= exc.smtp_code < 500
            raise delivery.DeliveryError(
                f"the server refused the message: {reply(exc)}", retry=retry
            ) from None
        except smtplib.SMTPRecipientsRefused as exc:
            self._drop()
            answers = {to: (code, _text(text)) for to, (code, text) in exc.recipients.items()}
            said = "; ".join(f"{to}: SMTP {code} {text}" for to, (code, text) in answers.items())
            retry = all(400 <= code < 500 for code, _ in answers.values())
            raise delivery.DeliveryError(
                f"the server refused the recipient ({said}): check `to`", retry=retry
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise delivery.DeliveryError(f"the SMTP connection failed: {exc}", retry=True) from None
        if refused:
            raise delivery.DeliveryError(f"the server refused {', '.join(refused)}")

    def _drop(self) -> None:
        """A broken connection: the retry reconnects."""
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.close()
        self._smtp = None
