"""Signing in: a password, then a code from the authenticator app (or a recovery code).

A password alone opens a session that is not verified: it reaches only the code page, or the
enrolment page for an account without two-factor yet, so every account has it from its next
sign-in on. Each step issues a new session cookie in place of the last (ASVS 3.2.1).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any, Callable, Optional
from urllib.parse import quote

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, redirect, text
from sqlalchemy.engine import Engine

from console import auth, twofactor
from console.web import LOGIN_COOKIE, SESSION_COOKIE, client_ip, local_path, set_cookie

Page = Callable[..., HTTPResponse]
# The routes a session that has given only its password may use.
SECOND_FACTOR_ROUTES = frozenset({"code", "code_submit", "enrol", "enrol_submit", "logout"})
MISMATCH = "That code does not match. Check the phone's time and try the current code."
TOO_MANY = "Too many failed sign-ins. Wait 15 minutes and try again, or ask an admin to reset your password."


def second_factor_path(user: auth.StaffUser, target: Optional[str]) -> str:
    """Where a session that has given only its password goes next."""
    return ("/login/code" if user.enrolled else "/enrol") + "?next=" + quote(local_path(target), safe="")


def register(app: Sanic, engine: Engine, page: Page) -> None:
    def refuse(request: Request, template: str, error: str, status: int, **values: Any) -> HTTPResponse:
        return page(request, template, status=status, error=error, next=local_path(request.form.get("next")), **values)

    def finish(request: Request, response: HTTPResponse) -> HTTPResponse:
        """The second factor given: a new, verified session replaces the password-only one."""
        signed_in: auth.SignedIn = request.ctx.session
        token = auth.start_session(
            engine, signed_in.user, client_ip(request), verified=True, replacing=request.cookies.get(SESSION_COOKIE)
        )
        set_cookie(response, SESSION_COOKIE, token)
        if not signed_in.verified:
            auth.audit(engine, signed_in.user.username, "sign in", ip=client_ip(request))
        return response

    @app.get("/login")
    async def login(request: Request) -> HTTPResponse:
        target = request.args.get("next")
        signed_in = request.ctx.session
        if signed_in:
            return redirect(local_path(target) if signed_in.verified else second_factor_path(signed_in.user, target))
        token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
        response = page(request, "login.html", login_token=token, next=local_path(target), error="")
        set_cookie(response, LOGIN_COOKIE, token)
        return response

    @app.post("/login")
    async def login_submit(request: Request) -> HTTPResponse:
        form = request.form or {}
        token = request.cookies.get(LOGIN_COOKIE) or ""
        sent = form.get("login_token") or ""
        if not token or not hmac.compare_digest(sent.encode(), token.encode()):
            return text("This sign-in form has expired. Reload the page and try again.", status=403)
        username, password = (form.get("username") or "").strip(), form.get("password") or ""
        ip = client_ip(request)

        def again(error: str, status: int) -> HTTPResponse:
            return refuse(request, "login.html", error, status, login_token=token, username=username)

        if auth.throttled(engine, username, ip):
            auth.audit(engine, username[:64], "sign in refused: too many failures", ip=ip)
            return again(TOO_MANY, 429)
        user = auth.authenticate(engine, username, password, ip)
        if user is None:
            auth.audit(engine, username[:64], "failed sign in", ip=ip)
            return again("Wrong username or password.", 401)
        session_token = auth.start_session(engine, user, ip, replacing=request.cookies.get(SESSION_COOKIE))
        response = redirect(second_factor_path(user, form.get("next")))
        set_cookie(response, SESSION_COOKIE, session_token)
        return response

    @app.get("/login/code")
    async def code(request: Request) -> HTTPResponse:
        signed_in, target = request.ctx.session, request.args.get("next")
        if signed_in.verified:
            return redirect(local_path(target))
        if not signed_in.user.enrolled:
            return redirect(second_factor_path(signed_in.user, target))
        return page(request, "code.html", next=local_path(request.args.get("next")), error="")

    @app.post("/login/code")
    async def code_submit(request: Request) -> HTTPResponse:
        signed_in: auth.SignedIn = request.ctx.session
        user, ip, sent = signed_in.user, client_ip(request), request.form.get("code") or ""
        if auth.throttled(engine, user.username, ip):
            auth.audit(engine, user.username, "sign in refused: too many failures", ip=ip)
            return refuse(request, "code.html", TOO_MANY, 429)
        by_app = twofactor.use_code(engine, user.id, sent)
        ok = by_app or twofactor.use_recovery_code(engine, user.id, sent)
        auth.record_attempt(engine, user.username, ip, ok)
        if not ok:
            action = "replayed sign-in code" if twofactor.replayed(engine, user.id, sent) else "failed sign-in code"
            auth.audit(engine, user.username, action, ip=ip)
            return refuse(request, "code.html", "That code is not right, or was used already. Try the next one.", 401)
        if not by_app:
            auth.audit(engine, user.username, "recovery code used", ip=ip)
        return finish(request, redirect(local_path(request.form.get("next"))))

    @app.get("/enrol")
    async def enrol(request: Request) -> HTTPResponse:
        signed_in: auth.SignedIn = request.ctx.session
        if signed_in.user.enrolled and not signed_in.totp_pending:
            target = request.args.get("next")
            return redirect("/account" if signed_in.verified else second_factor_path(signed_in.user, target))
        secret = signed_in.totp_pending or twofactor.new_secret()
        auth.set_pending_secret(engine, signed_in.session_id, secret)
        return enrolment_page(request, secret, local_path(request.args.get("next")), "")

    def enrolment_page(request: Request, secret: str, target: str, error: str, status: int = 200) -> HTTPResponse:
        uri = twofactor.provisioning_uri(secret, request.ctx.session.user.username)
        grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        return page(
            request, "enrol.html", status, qr=twofactor.qr_svg_data_uri(uri), secret=grouped, next=target, error=error
        )

    @app.post("/enrol")
    async def enrol_submit(request: Request) -> HTTPResponse:
        signed_in: auth.SignedIn = request.ctx.session
        user, ip, secret = signed_in.user, client_ip(request), signed_in.totp_pending
        target = local_path(request.form.get("next"))
        if user.enrolled and not signed_in.verified:  # replacing an authenticator takes its code first
            return redirect(second_factor_path(user, target))
        if not secret:
            return redirect("/enrol?next=" + quote(target, safe=""))
        if auth.throttled(engine, user.username, ip):
            return enrolment_page(request, secret, target, TOO_MANY, 429)
        step = twofactor.matching_step(secret, request.form.get("code") or "", 0)
        auth.record_attempt(engine, user.username, ip, step is not None)
        if step is None:
            return enrolment_page(request, secret, target, MISMATCH, 401)
        codes = twofactor.enable(engine, user.id, secret, step)
        auth.end_sessions_of(engine, user.id, keep=signed_in.session_id)  # a new secret: other sessions end
        auth.audit(engine, user.username, "two-factor enrolled", ip=ip)
        return finish(request, page(request, "recovery.html", codes=codes, next=target))

    @app.post("/logout")
    async def logout(request: Request) -> HTTPResponse:
        auth.audit(engine, request.ctx.session.user.username, "sign out", ip=client_ip(request))
        auth.end_session(engine, request.cookies.get(SESSION_COOKIE))
        response = redirect("/login")
        set_cookie(response, SESSION_COOKIE, "", max_age=0)
        return response
