"""The account page: one's own sessions (and ending the others), a new password, a new authenticator.

Changing the password or the authenticator asks again for the current password, and the
authenticator also for a current code (ASVS 3.7.1), so a session left open on a shared screen
cannot take the account over.
"""

from __future__ import annotations

from typing import Callable

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, redirect
from sqlalchemy.engine import Engine

from console import auth, twofactor
from console.web import SESSION_COOKIE, client_ip, set_cookie

Page = Callable[..., HTTPResponse]
# All that an account whose password is now refused may do until it chooses a new one.
ROUTES_WHILE_A_CHANGE_IS_DUE = frozenset({"account_page", "change_password", "logout"})
NOTICES = {
    "weak": "Your password is now on the list of common or breached passwords. Choose a new one to go on.",
    "password": "Your password was changed; your other sessions were ended.",
    "ended": "Those sessions were ended.",
}


def register(app: Sanic, engine: Engine, page: Page) -> None:
    def account(request: Request, error: str = "", status: int = 200) -> HTTPResponse:
        signed_in: auth.SignedIn = request.ctx.session
        return page(
            request,
            "account.html",
            status=status,
            sessions=auth.sessions_of(engine, signed_in.user.id),
            current=signed_in.session_id,
            codes_left=twofactor.recovery_codes_left(engine, signed_in.user.id),
            notice=NOTICES.get(request.args.get("done") or "", ""),
            error=error,
        )

    def reauthenticated(request: Request) -> bool:
        """The current password again, counted like a sign-in (and throttled like one)."""
        user, ip = request.ctx.session.user, client_ip(request)
        if auth.throttled(engine, user.username, ip):
            return False
        return auth.authenticate(engine, user.username, request.form.get("current_password") or "", ip) is not None

    @app.get("/account")
    async def account_page(request: Request) -> HTTPResponse:
        return account(request)

    @app.post("/account/password")
    async def change_password(request: Request) -> HTTPResponse:
        signed_in: auth.SignedIn = request.ctx.session
        new, again = request.form.get("new_password") or "", request.form.get("new_password_again") or ""
        if not reauthenticated(request):
            return account(request, "Your current password was not right.", 401)
        if new != again:
            return account(request, "The two new passwords differ.", 400)
        try:
            auth.set_password(engine, signed_in.user.username, new)  # ends every session of this account
        except ValueError as error:
            return account(request, f"Not changed: {error}.", 400)
        auth.audit(engine, signed_in.user.username, "password change", ip=client_ip(request))
        response = redirect("/account?done=password")
        set_cookie(response, SESSION_COOKIE, auth.start_session(engine, signed_in.user, client_ip(request), True))
        return response

    @app.post("/account/two-factor")
    async def replace_authenticator(request: Request) -> HTTPResponse:
        signed_in: auth.SignedIn = request.ctx.session
        code = request.form.get("code") or ""
        if not reauthenticated(request) or not twofactor.use_code(engine, signed_in.user.id, code):
            return account(request, "Your current password or code was not right.", 401)
        auth.set_pending_secret(engine, signed_in.session_id, twofactor.new_secret())
        return redirect("/enrol?next=/account")

    @app.post("/account/sessions/end")
    async def end_sessions(request: Request) -> HTTPResponse:
        """The ticked sessions, or all but this one, with the password re-entered (ASVS 3.3.4)."""
        signed_in: auth.SignedIn = request.ctx.session
        if not reauthenticated(request):
            return account(request, "Your current password was not right.", 401)
        keep, everyone = signed_in.session_id, request.form.get("which") == "all"
        ticked = [int(value) for value in request.form.getlist("session") or [] if value.isdigit()]
        ended = sum(
            auth.end_sessions_of(engine, signed_in.user.id, keep, only) for only in ([None] if everyone else ticked)
        )
        auth.audit(engine, signed_in.user.username, "end sessions", detail=str(ended), ip=client_ip(request))
        return redirect("/account?done=ended")
