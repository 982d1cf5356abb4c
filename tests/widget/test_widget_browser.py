"""The chat widget in headless Chromium against the running assistant.

One assistant (`serve/run.py` via LocalAssistant: Rasa, actions, widget server,
SQLite in a temp dir) for the module; each test opens the demo page in a fresh
browser context, so each has its own sessionStorage, as a new visitor would.
"""

from __future__ import annotations

import re
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import requests
import socketio
import yaml
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import create_engine, text

from scripts.servers import LocalAssistant
from serve.rasa_api import api_headers
from serve.run import free_port
from tests.proxy import CuttableProxy
from tests.widget.conftest import ROOT, WidgetServer

REPLY_TIMEOUT_MS = 60_000
# The pages whose origins may chat: the widget server's own, one behind a cuttable proxy, another clinic's.
WIDGET_PORT, PROXIED_PAGE_PORT, CLINIC_SITE_PORT = free_port(), free_port(), free_port()
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalAssistant]:
    workdir = tmp_path_factory.mktemp("widget")
    # The clinic's own profile has no web or e-mail address yet; links need one to show.
    profile = yaml.safe_load((ROOT / "clinic" / "profile.yml").read_text())
    profile["contact"].update(email="info@example.com", website="https://example.com/request-appointment")
    (workdir / "profile.yml").write_text(yaml.safe_dump(profile))
    widget = f"http://127.0.0.1:{WIDGET_PORT}"
    pages = ",".join(f"http://127.0.0.1:{port}" for port in (PROXIED_PAGE_PORT, CLINIC_SITE_PORT))
    origins = {"ALLOWED_ORIGINS": f"{widget},{pages}", "WIDGET_PORT": str(WIDGET_PORT)}
    running = LocalAssistant(workdir, {"CLINIC_PROFILE": str(workdir / "profile.yml"), **origins})
    try:
        running.wait_until_up()
        yield running
    finally:
        running.stop()


@pytest.fixture
def page(browser: Browser, assistant: LocalAssistant) -> Iterator[Page]:
    """The demo page in a fresh context; fails the test on any script error, CSP violation or dialog."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    opened = context.new_page()
    problems: List[str] = []
    opened.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    opened.on("pageerror", lambda error: problems.append(str(error)))
    opened.on("console", lambda message: message.type == "error" and problems.append(message.text))
    opened.goto(f"http://127.0.0.1:{assistant.widget_port}/")
    yield opened
    context.close()
    assert problems == []


def open_widget(page: Page) -> None:
    page.click(".kia-launcher")
    expect(page.locator(".kia-msg-bot").first).to_contain_text("automated assistant", timeout=REPLY_TIMEOUT_MS)


def bot_texts(page: Page) -> List[str]:
    return page.locator(".kia-msg-bot").all_inner_texts()


def wait_for_bot(page: Page, after: int, expected: str) -> str:
    """Wait for a bot message, after the first `after` ones, that contains `expected`; return it."""
    page.wait_for_function(
        "([after, expected]) => Array.from(document.querySelectorAll('.kia-msg-bot')).slice(after)"
        ".some(m => m.textContent.includes(expected))",
        arg=[after, expected],
        timeout=REPLY_TIMEOUT_MS,
    )
    return next(t for t in bot_texts(page)[after:] if expected in t)


def say(page: Page, message: str, expected: str) -> str:
    before = len(bot_texts(page))
    page.fill("#kia-input", message)
    page.press("#kia-input", "Enter")
    return wait_for_bot(page, before, expected)


def click_reply(page: Page, title: str, expected: str) -> str:
    before = len(bot_texts(page))
    page.locator(".kia-replies .kia-reply", has_text=title).click()
    return wait_for_bot(page, before, expected)


def stored(page: Page) -> Dict[str, Any]:
    return page.evaluate("JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage)[0]))")


def tracker_state(assistant: LocalAssistant, sender: str) -> Dict[str, Any]:
    response = requests.get(
        f"{assistant.url}/conversations/{sender}/tracker", headers=api_headers(assistant.token), timeout=30
    )
    assert response.status_code == 200
    return response.json()


def tracker_user_texts(assistant: LocalAssistant, sender: str) -> List[str]:
    return [event["text"] for event in tracker_state(assistant, sender)["events"] if event["event"] == "user"]


def sent_languages(assistant: LocalAssistant, sender: str) -> List[Any]:
    """The language the widget sent with each message (metadata), as the tracker stored it."""
    events = tracker_state(assistant, sender)["events"]
    return [(event.get("metadata") or {}).get("language") for event in events if event["event"] == "user"]


def test_myth_question_is_answered_in_the_open_widget(page: Page, screenshot_dir: Path) -> None:
    open_widget(page)
    notice = page.locator(".kia-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Not for emergencies")
    expect(notice).to_contain_text("911")
    expect(notice).to_contain_text("988")
    answer = say(page, "isn't ketamine just a party drug?", "anesthetic")
    assert "special K" in answer
    expect(page.locator(".kia-replies .kia-reply")).to_have_text(
        ["Book a consultation", "Ask another question", "Talk to staff"]
    )
    page.wait_for_timeout(300)  # let the last message settle before the picture
    page.screenshot(path=str(screenshot_dir / "widget-open.png"))
    (ROOT / "docs").mkdir(exist_ok=True)
    shutil.copy(screenshot_dir / "widget-open.png", ROOT / "docs" / "widget.png")


def test_quick_reply_sends_its_payload_and_shows_its_title(page: Page) -> None:
    open_widget(page)
    click_reply(page, "What does it treat?", "depression")
    assert page.locator(".kia-msg-user").all_inner_texts()[-1].endswith("What does it treat?")
    expect(page.locator(".kia-reply", has_text="What does it treat?")).to_have_count(0)  # answered replies go


def test_appointment_request_through_the_widget_gets_a_reference_number(page: Page, assistant: LocalAssistant) -> None:
    open_widget(page)
    say(page, "I'd like to book a consultation", "what name")
    say(page, "Jordan Reyes", "phone number or e-mail")
    say(page, "203 555 0142", "Which office")
    click_reply(page, "Stamford", "days and times")
    say(page, "weekday mornings", "hoping to get help with")
    consent = click_reply(page, "Skip", "May the clinic")
    assert page.locator(".kia-msg-bot a[href='tel:2035550142']").count() >= 1, consent  # the number is a link
    summary = click_reply(page, "Yes", "Jordan Reyes")
    assert "Stamford" in summary
    before = len(bot_texts(page))
    page.locator(".kia-replies .kia-reply").first.click()  # the summary's first button sends it
    reference = re.search(r"A-[A-Z0-9]{6}", wait_for_bot(page, before, "reference number")).group(0)
    engine = create_engine(f"sqlite:///{assistant.db}")
    with engine.connect() as connection:
        rows = list(
            connection.execute(
                text("select name, office, sender_id from appointment_requests where reference = :r"), {"r": reference}
            )
        )
    engine.dispose()
    assert rows == [("Jordan Reyes", "Stamford", stored(page)["sessionId"])]


def test_reload_keeps_the_conversation_in_the_same_tab_only(
    page: Page, browser: Browser, assistant: LocalAssistant
) -> None:
    open_widget(page)
    say(page, "I'd like to book a consultation", "what name")
    before = bot_texts(page)
    session = stored(page)["sessionId"]
    page.reload()
    expect(page.locator(".kia-panel")).to_be_visible()  # still open, as it was left
    assert bot_texts(page) == before
    say(page, "Jordan Reyes", "phone number or e-mail")  # the same conversation carries on after the reload
    assert stored(page)["sessionId"] == session
    assert tracker_user_texts(assistant, session)[-2:] == ["I'd like to book a consultation", "Jordan Reyes"]
    other_tab = browser.new_context().new_page()
    other_tab.goto(page.url)
    expect(other_tab.locator(".kia-msg")).to_have_count(0)  # sessionStorage: not shown to the next person
    other_tab.context.close()


def test_clear_conversation_starts_a_new_session_and_wipes_the_history(page: Page) -> None:
    open_widget(page)
    say(page, "is it addictive?", "addict")
    old_session = stored(page)["sessionId"]
    page.click(".kia-clear")
    expect(page.locator(".kia-msg-user")).to_have_count(0)
    expect(page.locator(".kia-msg-bot")).to_have_count(1, timeout=REPLY_TIMEOUT_MS)  # only a new greeting
    assert stored(page)["sessionId"] != old_session
    page.reload()
    expect(page.locator(".kia-msg-user")).to_have_count(0)


def test_html_in_a_message_is_shown_as_text_and_never_runs(page: Page, assistant: LocalAssistant) -> None:
    dialogs: List[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    open_widget(page)
    before = len(bot_texts(page))
    page.fill("#kia-input", XSS)
    page.press("#kia-input", "Enter")
    expect(page.locator(".kia-msg-user").last).to_have_text(f"You said: {XSS}")
    page.wait_for_function(
        "n => document.querySelectorAll('.kia-msg-bot').length > n", arg=before, timeout=REPLY_TIMEOUT_MS
    )
    page.wait_for_timeout(500)
    assert page.locator(".kia-root img").count() == 0
    assert dialogs == []
    assert tracker_user_texts(assistant, stored(page)["sessionId"])[-1] == XSS  # sent verbatim
    page.reload()  # and re-rendered from history as text too
    expect(page.locator(".kia-msg-user").last).to_have_text(f"You said: {XSS}")
    assert page.locator(".kia-root img").count() == 0 and dialogs == []


def test_addresses_in_bot_messages_become_safe_links(page: Page) -> None:
    open_widget(page)
    say(page, "how can I contact the clinic?", "example.com")
    message = page.locator(".kia-msg-bot").last
    website = message.locator("a[href='https://example.com/request-appointment']")
    expect(website).to_have_attribute("target", "_blank")
    assert "noopener" in website.get_attribute("rel").split()
    expect(website).to_have_text("https://example.com/request-appointment")  # the full stop stays outside
    expect(message.locator("a[href='mailto:info@example.com']")).to_have_count(1)


def test_typing_indicator_shows_until_the_answer_arrives(page: Page) -> None:
    open_widget(page)
    before = len(bot_texts(page))
    shown = page.evaluate("""() => {
        document.querySelector('#kia-input').value = 'how fast does it work?';
        document.querySelector('.kia-form').requestSubmit();
        return !document.querySelector('.kia-typing').hidden;
    }""")
    assert shown
    wait_for_bot(page, before, "")
    expect(page.locator(".kia-typing")).to_be_hidden()


def test_empty_messages_are_not_sent_and_long_ones_are_capped(page: Page, assistant: LocalAssistant) -> None:
    open_widget(page)
    for blank in ("", "   ", "\n\n"):
        page.fill("#kia-input", blank)
        page.press("#kia-input", "Enter")
    expect(page.locator(".kia-msg-user")).to_have_count(0)
    limit = int(page.get_attribute("#kia-input", "maxlength"))
    assert limit == 1000
    page.fill("#kia-input", "is ketamine safe? " + "x" * 2000)
    assert len(page.input_value("#kia-input")) == limit
    expect(page.locator(".kia-limit")).to_contain_text(f"at most {limit} characters")
    before = len(bot_texts(page))
    page.press("#kia-input", "Enter")
    wait_for_bot(page, before, "")
    assert [len(t) for t in tracker_user_texts(assistant, stored(page)["sessionId"])[-1:]] == [limit]


def test_unread_badge_counts_replies_that_arrive_while_closed(page: Page) -> None:
    open_widget(page)
    badge = page.locator(".kia-badge")
    expect(badge).to_be_hidden()
    page.evaluate("""() => {  // send, then close before any reply can arrive
        document.querySelector('#kia-input').value = 'is it addictive?';
        document.querySelector('.kia-form').requestSubmit();
        window.KiAssistant.close();
    }""")
    expect(badge).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    assert int(badge.inner_text()) >= 1
    expect(page.locator(".kia-launcher")).to_contain_text("new message")
    page.click(".kia-launcher")
    expect(badge).to_be_hidden()


def test_keyboard_alone_opens_chats_answers_a_quick_reply_and_closes(page: Page) -> None:
    launcher = page.locator(".kia-launcher")
    for _ in range(10):  # Tab through the page until the launcher has focus
        page.keyboard.press("Tab")
        if launcher.evaluate("node => node === document.activeElement"):
            break
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".kia-panel")).to_have_attribute("aria-modal", "false")  # the page stays usable beside it
    expect(page.locator("#kia-input")).to_be_focused()
    expect(page.locator(".kia-msg-bot").first).to_contain_text("automated assistant", timeout=REPLY_TIMEOUT_MS)
    log = page.locator("[role=log]")
    expect(log).to_have_attribute("aria-live", "polite")  # new messages are announced
    page.keyboard.press("Shift+Tab")  # back from the input to the last suggested reply
    expect(page.locator(".kia-reply").last).to_be_focused()
    before = len(bot_texts(page))
    page.keyboard.press("Enter")
    wait_for_bot(page, before, "")
    expect(log.locator(".kia-msg-bot").last).to_be_visible()  # the answer landed inside the live region
    expect(page.locator("#kia-input")).to_be_focused()
    page.keyboard.type("is it addictive?")
    page.keyboard.press("Escape")
    expect(page.locator(".kia-panel")).to_be_hidden()
    expect(launcher).to_be_focused()


def test_mobile_layout_fills_the_screen(browser: Browser, assistant: LocalAssistant, screenshot_dir: Path) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{assistant.widget_port}/")
    launcher = page.locator(".kia-launcher")
    box = launcher.bounding_box()
    assert box["x"] + box["width"] <= 390 and box["y"] + box["height"] <= 844
    launcher.tap()
    expect(page.locator(".kia-msg-bot").first).to_contain_text("automated assistant", timeout=REPLY_TIMEOUT_MS)
    assert page.locator(".kia-panel").bounding_box() == {"x": 0, "y": 0, "width": 390, "height": 844}
    expect(page.locator(".kia-notice")).to_be_in_viewport()
    expect(page.locator("#kia-input")).to_be_in_viewport()
    expect(page.locator(".kia-panel")).to_have_attribute("aria-modal", "true")
    page.focus(".kia-send")
    page.keyboard.press("Tab")  # the page behind is covered, so Tab wraps around inside the panel
    expect(page.locator(".kia-lang")).to_be_focused()  # the header's first button
    page.keyboard.press("Shift+Tab")
    expect(page.locator(".kia-send")).to_be_focused()
    page.fill("#kia-input", "what conditions do you treat?")
    page.press("#kia-input", "Enter")
    page.wait_for_function("() => document.querySelectorAll('.kia-msg-bot').length > 1", timeout=REPLY_TIMEOUT_MS)
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshot_dir / "widget-mobile.png"))
    page.locator(".kia-close").tap()
    expect(launcher).to_be_visible()
    context.close()


class Site(ThreadingHTTPServer):
    """A page server whose shutdown also frees its port, for the next test's site on the same one."""

    def shutdown(self) -> None:
        super().shutdown()
        self.server_close()


def clinic_site(assistant: LocalAssistant, port: int, lang: str = "", data_lang: str = "") -> Site:
    """Another clinic's page on ``port`` that embeds the widget with one tag.

    lang is the page's <html lang>; data_lang, the script tag's data-lang (none when empty).
    """
    widget_host = f"http://127.0.0.1:{assistant.widget_port}"
    clinic_page = f"""<!doctype html><html lang="{lang}"><title>Another clinic</title><h1>Another clinic</h1>
        <script src="{widget_host}/widget/widget.js" data-server-url="{assistant.url}"
                data-clinic-name="Harbor Clinic" data-primary-color="rgb(122, 62, 157)"
                data-greeting="Hello from Harbor Clinic's assistant."
                {f'data-lang="{data_lang}"' if data_lang else ""}></script>"""

    class ClinicSite(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(clinic_page.encode())

    site = Site(("127.0.0.1", port), ClinicSite)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    return site


def test_another_site_embeds_it_with_one_tag_and_its_own_greeting_and_colour(
    browser: Browser, assistant: LocalAssistant
) -> None:
    site = clinic_site(assistant, CLINIC_SITE_PORT)
    context = browser.new_context()
    page = context.new_page()
    problems: List[str] = []
    page.on("console", lambda message: problems.append(message.text))
    page.goto(f"http://127.0.0.1:{CLINIC_SITE_PORT}/")  # another origin than the widget server's, allowed
    page.click(".kia-launcher")
    expect(page.locator(".kia-title")).to_have_text("Harbor Clinic assistant")
    expect(page.locator(".kia-msg-bot")).to_have_text(
        ["Harbor Clinic assistant: Hello from Harbor Clinic's assistant."]
    )
    expect(page.locator(".kia-header")).to_have_css("background-color", "rgb(122, 62, 157)")
    say(page, "is ketamine safe?", "safe")
    assert "/greet" not in tracker_user_texts(assistant, stored(page)["sessionId"])  # the page's own greeting
    assert problems == []
    context.close()
    site.shutdown()


def test_a_malformed_session_id_gets_a_fresh_one_not_a_room(assistant: LocalAssistant) -> None:
    confirmed: List[Any] = []
    client = socketio.Client()
    client.on("session_confirm", confirmed.append)
    client.connect(assistant.url, transports=["websocket"])
    try:
        for bad in ({"session_id": {"$ne": ""}}, {"session_id": "x" * 5000}, "not a dict", {"session_id": "a b"}):
            client.emit("session_request", bad)
        client.sleep(2)
    finally:
        client.disconnect()
    assert len(confirmed) == 4
    assert all(re.fullmatch(r"[0-9a-f]{32}", issued["session_id"]) for issued in confirmed)
    assert all(re.fullmatch(r"[0-9a-f]{64}", issued["signature"]) for issued in confirmed)


def test_dropped_connection_recovers_and_a_queued_message_is_sent_once(
    browser: Browser, assistant: LocalAssistant, widget_server: WidgetServer
) -> None:
    proxy = CuttableProxy(assistant.rasa_port)
    context = browser.new_context()
    page = context.new_page()
    page.goto(widget_server(f"http://127.0.0.1:{proxy.port}", PROXIED_PAGE_PORT))
    open_widget(page)
    proxy.pull_the_cable()
    expect(page.locator(".kia-status")).to_contain_text("Reconnecting", timeout=30_000)
    before = len(bot_texts(page))
    page.fill("#kia-input", "is ketamine addictive?")
    page.press("#kia-input", "Enter")
    expect(page.locator(".kia-status")).to_contain_text("will be sent when the connection is back")
    assert stored(page)["pending"] == ["is ketamine addictive?"]
    page.wait_for_timeout(2000)  # the widget keeps trying meanwhile
    proxy.plug_in()
    wait_for_bot(page, before, "addict")
    expect(page.locator(".kia-status")).to_be_hidden()
    assert stored(page)["pending"] == []
    page.wait_for_timeout(1000)
    assert tracker_user_texts(assistant, stored(page)["sessionId"]).count("is ketamine addictive?") == 1
    context.close()
    proxy.close()


def test_a_page_on_an_origin_not_allowed_cannot_open_a_conversation(
    browser: Browser, assistant: LocalAssistant
) -> None:
    site = clinic_site(assistant, free_port())  # not in ALLOWED_ORIGINS
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{site.server_port}/")
    page.click(".kia-launcher")
    page.fill("#kia-input", "is ketamine safe?")
    page.press("#kia-input", "Enter")
    expect(page.locator(".kia-status")).to_contain_text("will be sent when the connection is back", timeout=30_000)
    page.wait_for_timeout(3000)
    assert bot_texts(page) == [] and stored(page)["sessionId"] is None  # no session was ever issued
    context.close()
    site.shutdown()


def test_a_spanish_page_gets_the_widget_in_spanish_and_the_conversation_starts_in_spanish(
    browser: Browser, assistant: LocalAssistant
) -> None:
    site = clinic_site(assistant, CLINIC_SITE_PORT, lang="es-MX")
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{CLINIC_SITE_PORT}/")
    expect(page.locator(".kia-launcher")).to_have_accessible_name("Chat: Asistente de Harbor Clinic")
    page.click(".kia-launcher")
    expect(page.locator(".kia-title")).to_have_text("Asistente de Harbor Clinic")
    expect(page.locator(".kia-notice")).to_contain_text("No es para emergencias")
    expect(page.locator(".kia-clear")).to_have_text("Borrar")
    expect(page.locator(".kia-close")).to_have_accessible_name("Cerrar el chat")
    expect(page.locator(".kia-send")).to_have_text("Enviar")
    expect(page.locator("#kia-input")).to_have_attribute("placeholder", "Escriba su pregunta")
    expect(page.locator(".kia-lang")).to_have_text("English")
    expect(page.locator(".kia-root")).to_have_attribute("lang", "es")
    say(page, "is ketamine safe?", "")
    sender = stored(page)["sessionId"]
    assert sent_languages(assistant, sender) == ["es"]
    assert tracker_state(assistant, sender)["slots"]["language"] == "es"
    context.close()
    site.shutdown()


def test_the_switch_rewords_the_widget_and_the_next_message_carries_the_choice(
    page: Page, assistant: LocalAssistant
) -> None:
    open_widget(page)
    expect(page.locator(".kia-lang")).to_have_text("Español")
    expect(page.locator(".kia-lang")).to_have_accessible_name("Cambiar el chat a español")
    say(page, "is ketamine safe?", "safe")
    page.click(".kia-lang")
    expect(page.locator(".kia-title")).to_have_text("Asistente de Ki_Ketamine")
    expect(page.locator("#kia-input")).to_have_attribute("placeholder", "Escriba su pregunta")
    expect(page.locator(".kia-lang")).to_have_text("English")
    say(page, "what does it cost?", "")
    sender = stored(page)["sessionId"]
    assert sent_languages(assistant, sender)[-2:] == ["en", "es"]
    assert tracker_state(assistant, sender)["slots"]["language"] == "es"
    page.reload()
    expect(page.locator(".kia-send")).to_have_text("Enviar")  # the choice outlives a reload in the tab
    page.click(".kia-clear")
    expect(page.locator(".kia-send")).to_have_text("Enviar")  # and a new conversation


def test_data_lang_on_the_script_tag_wins_over_the_pages_lang(browser: Browser, assistant: LocalAssistant) -> None:
    site = clinic_site(assistant, CLINIC_SITE_PORT, lang="en", data_lang="es")
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{CLINIC_SITE_PORT}/")
    expect(page.locator(".kia-launcher")).to_have_accessible_name("Chat: Asistente de Harbor Clinic")
    context.close()
    site.shutdown()


def spanish_widget(page: Page) -> None:
    """The widget opened and switched to Spanish, as a visitor does with the switch in its header."""
    open_widget(page)
    page.click(".kia-lang")
    expect(page.locator(".kia-send")).to_have_text("Enviar")


def test_in_spanish_a_visitor_gets_answers_and_books_to_a_reference_number(
    page: Page, assistant: LocalAssistant, screenshot_dir: Path
) -> None:
    spanish_widget(page)
    answer = say(page, "la ketamina es adictiva?", "adicción")
    assert " the " not in answer and " la ketamina " in answer
    expect(page.locator(".kia-replies .kia-reply")).to_have_text(
        ["Pedir una consulta", "Hacer otra pregunta", "Hablar con el personal"]
    )
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshot_dir / "widget-es.png"))
    shutil.copy(screenshot_dir / "widget-es.png", ROOT / "docs" / "widget-es.png")

    click_reply(page, "Pedir una consulta", "¿cómo quiere que le llame el equipo?")
    say(page, "Lucía Fernández", "teléfono o correo")
    say(page, "203 555 0143", "¿Qué consultorio le queda mejor?")
    click_reply(page, "Westport", "¿Qué días y horas")
    say(page, "los jueves en la mañana", "busca ayuda")
    click_reply(page, "Omitir", "se comunique con usted")
    summary = click_reply(page, "Sí", "Esta es su solicitud")
    assert "Consultorio: Westport" in summary and "Motivo: No indicado" in summary
    done = click_reply(page, "Sí, envíela", "número de referencia")
    reference = re.search(r"A-[A-Z0-9]{6}", done).group(0)
    engine = create_engine(f"sqlite:///{assistant.db}")
    with engine.connect() as connection:
        row = connection.execute(
            text("select name, office, language from appointment_requests where reference = :r"), {"r": reference}
        ).one()
    engine.dispose()
    assert tuple(row) == ("Lucía Fernández", "Westport", "es")


@pytest.mark.parametrize(
    "message, expected",
    [
        ("tomo sertralina, puedo hacerme la infusion igual?", "debe responderla un profesional"),
        ("ya no quiero vivir, no le veo sentido a nada", "marque 2"),
        ("quiero hablar con una persona del equipo", "le comunico con el equipo"),
    ],
    ids=["medical question", "crisis", "handoff"],
)
def test_in_spanish_a_medical_question_a_crisis_and_a_handoff_each_reach_a_person(
    page: Page, message: str, expected: str
) -> None:
    spanish_widget(page)
    reply = say(page, message, expected)
    assert "Reply" not in reply and "staff will" not in reply
