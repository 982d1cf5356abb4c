"""The console's web app: every page needs a signed-in staff member.

Access is checked in one place (``guard``) for every route except the sign-in
page and static files, so a new page cannot be left open by forgetting a
decorator: a session that has given only its password reaches just the
second-factor pages (console/signin.py); every POST must carry the session's
CSRF token.
"""

from __future__ import annotations

import asyncio
import hmac
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Optional, Tuple
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, html, redirect, text
from sqlalchemy import func, select

import settings
from console import account_page, auth, conversations, exports, insight, queues, retention, signin
from console.timeutil import day_range, parse_day, shown, today, waited
from console.web import SESSION_COOKIE, client_ip, security_headers
from records.contact import display_phone
from records.models import WORKFLOW, Escalation, audit_log, record_model, utcnow
from records.store import Store
from worker.outbox import retry_now

HERE = Path(__file__).resolve().parent
PUBLIC_ROUTES = frozenset({"login", "login_submit", "static"})
AUDIT_PAGE_SIZE = 100

templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
templates.filters.update(shown=shown, phone=display_phone, quote=lambda value: quote(str(value), safe=""))


def page_number(request: Request) -> int:
    try:
        return max(int(request.args.get("page", "1")), 1)
    except ValueError:
        return 1


def requested_days(request: Request) -> Tuple[date, date]:
    """?from=&to= as local days, in order; the last 30 days by default."""
    end = parse_day(request.args.get("to")) or today()
    start = parse_day(request.args.get("from")) or end - timedelta(days=29)
    return (start, end) if start <= end else (end, start)


def create_app(store: Optional[Store] = None) -> Sanic:
    store = store or Store()
    engine = store.engine
    app = Sanic("staff_console")
    # Its forms are a sign-in and a note: a larger body is refused (413) before it is read.
    app.config.REQUEST_MAX_SIZE = settings.get().CONSOLE_MAX_REQUEST_BYTES
    app.static("/static", str(HERE / "static"), name="static")

    def page(request: Request, template: str, status: int = 200, **values: Any) -> HTTPResponse:
        signed_in = getattr(request.ctx, "session", None)
        return html(
            templates.get_template(template).render(
                request=request,
                me=signed_in.user if signed_in and signed_in.verified else None,
                csrf_token=signed_in.csrf_token if signed_in else "",
                **values,
            ),
            status=status,
        )

    def who(request: Request) -> str:
        return request.ctx.session.user.username

    def record(request: Request, action: str, target: Optional[str] = None, detail: Optional[str] = None) -> None:
        auth.audit(engine, who(request), action, target, detail, client_ip(request))

    @app.on_request
    async def guard(request: Request) -> Optional[HTTPResponse]:
        # The queue page's own refresh is not someone using the console: it must not keep a session alive.
        request.ctx.session = auth.resume_session(
            engine, request.cookies.get(SESSION_COOKIE), extend=not request.args.get("partial")
        )
        name = request.route.name.rsplit(".", 1)[-1] if request.route else ""
        if name in PUBLIC_ROUTES:
            return None
        if request.ctx.session is None:
            if request.method == "GET":
                return redirect(
                    f"/login?next={quote(request.path + ('?' + request.query_string if request.query_string else ''))}"
                )
            return text("Sign in first.", status=401)
        if not request.ctx.session.verified and name not in signin.SECOND_FACTOR_ROUTES:
            if request.method == "GET":
                return redirect(signin.second_factor_path(request.ctx.session.user, request.path))
            return text("Give the code from your authenticator app first.", status=401)
        must_change = request.ctx.session.verified and request.ctx.session.user.must_change_password
        if must_change and name not in account_page.ROUTES_WHILE_A_CHANGE_IS_DUE:
            if request.method == "GET":
                return redirect("/account?done=weak")
            return text("Choose a new password on your account page first.", status=403)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            sent = (request.form.get("csrf_token") if request.form else None) or ""
            if not hmac.compare_digest(sent.encode(), request.ctx.session.csrf_token.encode()):
                return text(
                    "This form has expired or did not come from the console. Go back, reload and try again.", status=403
                )
        return None

    @app.on_response
    async def headers(request: Request, response: HTTPResponse) -> None:
        response.headers.update(security_headers())
        if not request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"

    signin.register(app, engine, page)
    account_page.register(app, engine, page)

    @app.get("/")
    async def home(request: Request) -> HTTPResponse:
        return redirect("/queues")

    @app.get("/queues")
    async def queue_page(request: Request) -> HTTPResponse:
        now = utcnow()
        values = dict(
            sections=queues.sections(store),
            done=queues.recently_done(store),
            outbox=queues.outbox(store),
            waited=lambda since: waited(since, now),
        )
        if request.args.get("partial"):
            return page(request, "_queues.html", **values)
        return page(request, "queues.html", **values)

    @app.post("/items/<reference>/status")
    async def change_status(request: Request, reference: str) -> HTTPResponse:
        status = request.form.get("status") or ""
        note = (request.form.get("note") or "").strip()[:2000]
        if status not in WORKFLOW or record_model(reference) is None:
            return text("Unknown status or record.", status=400)
        if not store.set_status(reference, status, who(request), note):
            return text("No such record.", status=404)
        record(request, "status change", reference, f"{status}" + (f": {note}" if note else ""))
        return redirect(f"/queues#{reference}")

    @app.post("/items/<reference>/acknowledge")
    async def acknowledge(request: Request, reference: str) -> HTTPResponse:
        """ "I have it": the first to press it is kept, and the backup on-call page is not sent."""
        if record_model(reference) is not Escalation:
            return text("Only an escalation can be acknowledged.", status=400)
        if store.escalation(reference) is None:
            return text("No such record.", status=404)
        if store.acknowledge(reference, who(request)):
            record(request, "acknowledge", reference)
        return redirect(f"/queues#{reference}")

    @app.post("/outbox/<message_id:int>/retry")
    async def retry(request: Request, message_id: int) -> HTTPResponse:
        retry_now(store, message_id)
        record(request, "retry notification", str(message_id))
        return redirect("/queues#outbox")

    @app.get("/conversations")
    async def conversation_list(request: Request) -> HTTPResponse:
        start, end = parse_day(request.args.get("from")), parse_day(request.args.get("to"))
        start_utc = day_range(start, start)[0] if start else None
        end_utc = day_range(end, end)[1] if end else None
        filters = conversations.Filters(
            q=(request.args.get("q") or "")[:200],
            flag=request.args.get("flag") or "",
            channel=request.args.get("channel") or "",
            start=start_utc,
            end=end_utc,
            page=page_number(request),
        )
        rows, more = conversations.list_conversations(engine, filters)
        return page(
            request,
            "conversations.html",
            rows=rows,
            more=more,
            filters=filters,
            start=request.args.get("from") or "",
            end=request.args.get("to") or "",
            flags=conversations.FLAGS,
            channels=conversations.CHANNELS,
        )

    @app.get("/transcript")
    async def transcript_page(request: Request) -> HTTPResponse:
        sender = request.args.get("sender") or ""
        turns = conversations.transcript(engine, sender)
        if not turns:
            return page(request, "error.html", status=404, message="No conversation with that id.")
        record(request, "open transcript", sender)
        return page(
            request, "transcript.html", sender=sender, turns=turns, records=conversations.records_for(engine, sender)
        )

    @app.get("/insight")
    async def insight_page(request: Request) -> HTTPResponse:
        start, end = requested_days(request)
        start = max(start, end - timedelta(days=365))  # one bar a day: a year at most
        figures = insight.insight(engine, start, end, *day_range(start, end))
        return page(request, "insight.html", figures=figures, start=start, end=end)

    @app.get("/export")
    async def export_page(request: Request) -> HTTPResponse:
        start, end = requested_days(request)
        return page(request, "export.html", start=start, end=end)

    @app.get("/export/<filename>")
    async def export_csv(request: Request, filename: str) -> HTTPResponse:
        what = filename.removesuffix(".csv")
        if filename not in ("appointments.csv", "conversations.csv"):
            return page(request, "error.html", status=404, message="No such export.")
        start, end = requested_days(request)
        build = exports.appointments_csv if what == "appointments" else exports.conversations_csv
        body = build(engine, *day_range(start, end))
        record(request, "export", f"{what}.csv", f"{start} to {end}")
        return text(
            body,
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{what}-{start}-to-{end}.csv"'},
        )

    @app.get("/audit")
    async def audit_page(request: Request) -> HTTPResponse:
        if request.ctx.session.user.role != "admin":
            return page(request, "error.html", status=403, message="The audit log is for admins.")
        user, action = request.args.get("user") or "", request.args.get("action") or ""
        number = page_number(request)
        query = select(audit_log).order_by(audit_log.c.id.desc())
        if user:
            query = query.where(audit_log.c.username == user)
        if action:
            query = query.where(audit_log.c.action == action)
        with engine.connect() as connection:
            rows = connection.execute(query.limit(AUDIT_PAGE_SIZE + 1).offset((number - 1) * AUDIT_PAGE_SIZE)).all()
            actions = connection.execute(select(audit_log.c.action).group_by(audit_log.c.action)).scalars().all()
            users = (
                connection.execute(
                    select(audit_log.c.username)
                    .group_by(audit_log.c.username)
                    .order_by(func.lower(audit_log.c.username))
                )
                .scalars()
                .all()
            )
        return page(
            request,
            "audit.html",
            rows=rows[:AUDIT_PAGE_SIZE],
            more=len(rows) > AUDIT_PAGE_SIZE,
            page_number=number,
            user=user,
            action=action,
            actions=actions,
            users=users,
        )

    days = retention.retention_days()
    if days:

        async def apply_retention() -> None:
            """RETENTION_DAYS: prune once a day for as long as the console runs."""
            while True:
                await asyncio.get_running_loop().run_in_executor(None, retention.purge, engine, days)
                await asyncio.sleep(24 * 3600)

        app.add_task(apply_retention())
    return app
