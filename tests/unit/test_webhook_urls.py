"""What a webhook URL may be, before any address is resolved (chalicelib.adapters.webhook_sender):
each refusal, in the order they are checked, and what an accepted URL becomes."""

from __future__ import annotations

import pytest

from chalicelib.adapters.webhook_sender import MAX_URL_LENGTH, Target, UrlRefused, WebhookDelivery


def _public(host: str, port: int) -> list[str]:
    return ["93.184.216.34"]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://example.com/" + "a" * MAX_URL_LENGTH, "At most 2048 characters."),
        (None, "At most 2048 characters."),
        ("https://example.com/a b", "No spaces or control characters."),
        ("https://example.com/\x7f", "No spaces or control characters."),
        ("https://example.com:99999/", "Not a valid URL."),
        ("https://[::1/", "Not a valid URL."),
        ("https://user:secret@example.com/", "No user name or password in the URL."),
        ("https://user@example.com/", "No user name or password in the URL."),
        ("https:///path", "The URL needs a host."),
        ("https://example.com/#top", "No #fragment: it is never sent."),
        ("http://example.com/", "Only https URLs."),
        ("ftp://example.com/", "Only https URLs."),
        ("http://127.0.0.1:8080/hook", "Only https URLs."),  # not in a deployed stage
        # The first refusal wins: credentials are named before the scheme.
        ("http://user@example.com/#x", "No user name or password in the URL."),
    ],
)
def test_a_url_is_refused_with_the_reason_a_user_can_act_on(url, reason):
    with pytest.raises(UrlRefused) as refused:
        WebhookDelivery(resolver=_public).check(url)
    assert refused.value.reason == reason


@pytest.mark.parametrize(
    ("url", "allow_local_http", "target"),
    [
        ("https://Example.COM./hooks?a=1", False, Target("https", "example.com", 443, "/hooks?a=1", "93.184.216.34")),
        ("https://example.com", False, Target("https", "example.com", 443, "/", "93.184.216.34")),
        ("https://example.com:8443/x", False, Target("https", "example.com", 8443, "/x", "93.184.216.34")),
        ("http://127.0.0.1:8080/hook", True, Target("http", "127.0.0.1", 8080, "/hook", "127.0.0.1")),
        ("http://127.0.0.1/hook", True, Target("http", "127.0.0.1", 80, "/hook", "127.0.0.1")),
    ],
)
def test_an_accepted_url_is_its_scheme_host_port_path_and_pinned_address(url, allow_local_http, target):
    assert WebhookDelivery(allow_local_http=allow_local_http, resolver=_public).check(url) == target


def test_stage_local_accepts_plain_http_to_127_0_0_1_only():
    local = WebhookDelivery(allow_local_http=True, resolver=_public)
    with pytest.raises(UrlRefused, match="Only https URLs"):
        local.check("http://localhost:8080/hook")
