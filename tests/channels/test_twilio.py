"""SMS and WhatsApp through Twilio, against the running assistant and a stand-in for Twilio's API."""

from __future__ import annotations

import re

from twilio.request_validator import RequestValidator

from tests.channels.conftest import CLINIC_NUMBER, PUBLIC_BASE_URL, TWILIO_SID, TWILIO_TOKEN, Channels, new_number

REFERENCE = re.compile(r"reference number is (A-[A-Z0-9]+)")


def test_a_myth_question_by_sms_is_answered_by_sms(channels: Channels) -> None:
    [reply] = channels.text(new_number(), "isn't ketamine just a party drug?")
    assert "special K" in reply and "carefully dosed" in reply


def test_replies_are_sent_from_the_clinic_number_with_twilio_credentials(channels: Channels) -> None:
    sender = new_number()
    mark = channels.twilio_api.mark()
    assert channels.text(sender, "hi")
    [sent] = channels.twilio_api.accepted_since(mark)
    assert sent.path == f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"
    assert sent.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert (sent.form["From"], sent.form["To"]) == (CLINIC_NUMBER, sender)


def test_buttons_become_numbered_options_on_sms(channels: Channels) -> None:
    [greeting] = channels.text(new_number(), "hello")
    assert greeting.endswith("Reply 1 for Is ketamine safe?; 2 for What does it treat?; 3 for Book a consultation.")


def test_a_booking_by_sms_from_start_to_reference_number_answering_buttons_by_number(channels: Channels) -> None:
    sender = new_number()
    assert "what name" in channels.text(sender, "I'd like to book a consultation")[-1]
    assert "phone number or e-mail" in channels.text(sender, "Maria Lopez")[-1]
    [office] = channels.text(sender, "203 555 0147")
    assert "Reply 1 for Stamford; 2 for Westport; 3 for Either is fine." in office
    assert "days and times" in channels.text(sender, "2")[-1]  # 2 = Westport
    [reason] = channels.text(sender, "tuesdays after 4")
    assert "hoping to get help with" in reason and "Reply 1 for Skip." in reason  # SMS may carry it (BAA)
    [consent] = channels.text(sender, "1")  # 1 = Skip
    assert "May the clinic's team contact you" in consent
    [summary] = channels.text(sender, "1")  # 1 = Yes
    assert "Office: Westport" in summary and "Reason: Not given" in summary
    assert "Reply 1 for Yes, send it; 2 for Change something; 3 for Cancel." in summary
    [done] = channels.text(sender, "1")  # 1 = Yes, send it
    reference = REFERENCE.search(done).group(1)

    [row] = channels.rows(
        "SELECT channel, name, phone, office FROM appointment_requests WHERE reference = :r", r=reference
    )
    assert tuple(row) == ("twilio", "Maria Lopez", "+12035550147", "Westport")


def test_a_number_is_an_option_only_while_the_options_are_the_last_thing_said(channels: Channels) -> None:
    sender = new_number()
    assert "2 for Ask another question" in channels.text(sender, "what is ketamine")[-1]
    channels.text(sender, "thanks")  # answered with no options
    assert "What would you like to know?" not in " ".join(channels.text(sender, "2"))


def test_a_forged_request_is_refused_and_answers_nobody(channels: Channels) -> None:
    sender = new_number()
    params = {"From": sender, "To": CLINIC_NUMBER, "Body": "hi", "MessageSid": "SM1", "AccountSid": TWILIO_SID}
    mark = channels.twilio_api.mark()
    assert channels.twilio_post(params, signature="bm90IGEgcmVhbCBzaWduYXR1cmU=").status_code == 403
    assert channels.twilio_post(params, signature="").status_code == 403
    assert channels.twilio_api.since(mark) == []
    assert channels.input_channels(sender) == set()  # nothing reached the conversation either


def test_a_signature_for_another_address_or_altered_text_is_refused(channels: Channels) -> None:
    params = {"From": new_number(), "To": CLINIC_NUMBER, "Body": "hi", "MessageSid": "SM2", "AccountSid": TWILIO_SID}
    validator = RequestValidator(TWILIO_TOKEN)
    local_address = validator.compute_signature(channels.webhook("twilio"), params)  # not the public URL
    assert channels.twilio_post(params, signature=local_address).status_code == 403
    signed = validator.compute_signature(f"{PUBLIC_BASE_URL}/webhooks/twilio/webhook", params)
    assert channels.twilio_post({**params, "Body": "altered"}, signature=signed).status_code == 403


def test_whatsapp_is_answered_from_the_whatsapp_number_as_its_own_channel(channels: Channels) -> None:
    sender = "whatsapp:" + new_number()
    mark = channels.twilio_api.mark()
    [reply] = channels.text(sender, "is ketamine addictive?", to="whatsapp:" + CLINIC_NUMBER)
    assert "addiction" in reply
    [sent] = channels.twilio_api.accepted_since(mark)
    assert sent.form["From"] == "whatsapp:" + CLINIC_NUMBER
    assert channels.input_channels(sender) == {"whatsapp"}


def test_a_crisis_by_sms_gets_988_911_and_741741_at_once(channels: Channels) -> None:
    replies = " ".join(channels.text(new_number(), "i don't want to live anymore"))
    assert all(number in replies for number in ("988", "911", "741741"))
    assert "Reply 1 for Yes, I'm safe right now; 2 for No, I'm not safe." in replies
