"""An S3 POST upload checked against its signed policy, as S3 checks it (moto stores whatever is
posted: a rewritten `key` landed in another person's folder).

S3 refuses a POST upload unless: the policy is signed (Signature Version 4) with the key it names;
it has not expired; every condition holds (`{"field": value}` and `["eq", "$field", value]` exactly,
`["starts-with", "$field", prefix]`, `["content-length-range", min, max]` on the file's size); and
every form field but `policy`, `x-amz-signature`, `file` and `x-ignore-*` is named by a condition.
https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from typing import Any

from werkzeug.formparser import parse_form_data

# The one key pair of the local stack (devtools/local_aws.py LOCAL_CREDENTIALS): what signs is known.
LOCAL_KEYS = {"stride-local": "stride-local"}
UNCONDITIONED = frozenset({"policy", "x-amz-signature", "signature", "awsaccesskeyid", "file", "bucket"})

Refusal = tuple[str, str]


def _denied(message: str) -> Refusal:
    return "AccessDenied", message


def post_policy_refusal(environ: dict[str, Any], now: float | None = None) -> Refusal | None:
    """(S3's error code, message) when the upload breaks its policy, or None when it may be stored."""
    _, form, files = parse_form_data(environ)
    fields = {name.lower(): value for name, value in form.items()}
    upload = files.get("file")
    if upload is None:
        return "InvalidArgument", "POST requires exactly one file upload per request."
    size = len(upload.read())
    encoded = fields.get("policy")
    if not encoded:
        return _denied("Bucket POST must contain a signed policy (anonymous uploads are not allowed).")
    signed = _signature_refusal(fields, encoded)
    if signed:
        return signed
    try:
        policy = json.loads(base64.b64decode(encoded, validate=True))
    except (binascii.Error, ValueError):
        return "InvalidPolicyDocument", "Invalid Policy: Invalid JSON."
    bucket = (environ.get("PATH_INFO") or "").strip("/")
    return _policy_refusal(policy, {**fields, "bucket": bucket}, upload.filename or "", size, now)


def _signature_refusal(fields: dict[str, str], encoded: str) -> Refusal | None:
    if "awsaccesskeyid" in fields:  # Signature Version 2 (boto3's default for a POST)
        return _v2_signature_refusal(fields, encoded)
    if fields.get("x-amz-algorithm") != "AWS4-HMAC-SHA256":
        return _denied("A POST upload is signed with AWS4-HMAC-SHA256 (or Signature Version 2).")
    parts = (fields.get("x-amz-credential") or "").split("/")
    if len(parts) != 5 or parts[0] not in LOCAL_KEYS:
        return "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."
    key_id, day, region, service, terminal = parts
    signing_key = ("AWS4" + LOCAL_KEYS[key_id]).encode()
    for step in (day, region, service, terminal):
        signing_key = hmac.new(signing_key, step.encode(), hashlib.sha256).digest()
    expected = hmac.new(signing_key, encoded.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, fields.get("x-amz-signature") or ""):
        return "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."
    return None


def _v2_signature_refusal(fields: dict[str, str], encoded: str) -> Refusal | None:
    secret = LOCAL_KEYS.get(fields["awsaccesskeyid"])
    if secret is None:
        return "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."
    expected = base64.b64encode(hmac.new(secret.encode(), encoded.encode(), hashlib.sha1).digest()).decode()
    if not hmac.compare_digest(expected, fields.get("signature") or ""):
        return "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."
    return None


def _policy_refusal(policy: Any, fields: dict[str, str], filename: str, size: int, now: float | None) -> Refusal | None:
    if not isinstance(policy, dict) or not isinstance(policy.get("conditions"), list):
        return "InvalidPolicyDocument", "Invalid Policy: Policy missing conditions."
    try:
        expires = datetime.fromisoformat(str(policy.get("expiration", "")).replace("Z", "+00:00"))
    except ValueError:
        return "InvalidPolicyDocument", "Invalid Policy: Invalid 'expiration' value."
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    if expires.timestamp() <= (time.time() if now is None else now):
        return _denied("Invalid according to Policy: Policy expired.")
    if "key" in fields:
        fields["key"] = fields["key"].replace("${filename}", filename)
    named: set[str] = set()
    for condition in policy["conditions"]:
        failed = _condition_failed(condition, fields, size, named)
        if failed:
            return _denied(f"Invalid according to Policy: Policy Condition failed: {failed}")
    extra = sorted(name for name in fields if name not in named | UNCONDITIONED and not name.startswith("x-ignore-"))
    if extra:
        return _denied(f"Invalid according to Policy: Extra input fields: {', '.join(extra)}")
    return None


def _condition_failed(condition: Any, fields: dict[str, str], size: int, named: set[str]) -> str | None:
    """The condition as S3 quotes it when it fails, or None when it holds."""
    if isinstance(condition, dict) and len(condition) == 1:
        ((name, value),) = condition.items()
        condition = ["eq", f"${name}", value]
    if not isinstance(condition, list) or len(condition) != 3:
        return json.dumps(condition)
    operator, name, value = condition
    if operator == "content-length-range":
        low, high = name, value
        return None if int(low) <= size <= int(high) else json.dumps(condition)
    field = str(name).removeprefix("$").lower()
    named.add(field)
    given = fields.get(field)
    if operator == "eq" and given == str(value):
        return None
    if operator == "starts-with" and given is not None and given.startswith(str(value)):
        return None
    return json.dumps([operator, name, value])
