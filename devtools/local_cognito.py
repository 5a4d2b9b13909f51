"""A local Cognito as strict as the deployed one: a WSGI layer in front of moto's cognito-idp.

moto answers the Cognito API but, unlike the deployed pool, it runs no Lambda trigger, lets an app
client write attributes the client may not write, has no GetTokensFromRefreshToken or RevokeToken,
accepts any SRP password, issues tokens for an hour whatever the client says, and hands every user
the same TOTP secret, accepting any code. This layer closes those gaps, so nothing that works
locally fails deployed:

- triggers: the app's `cognito_trigger` runs for pre sign-up, post confirmation (ConfirmSignUp,
  AdminConfirmSignUp) and pre token generation (every answer that carries tokens), with the event
  Cognito sends; its refusal is Cognito's `UserLambdaValidationException`;
- an app client's WriteAttributes are enforced on SignUp and UpdateUserAttributes;
- GetTokensFromRefreshToken and RevokeToken are answered; a revoked refresh token, and the access
  tokens issued from it, stop working;
- USER_SRP_AUTH is refused with a message naming USER_PASSWORD_AUTH (moto cannot verify SRP);
- tokens last as long as the app client's AccessTokenValidity and IdTokenValidity;
- each user gets their own TOTP secret, and codes are checked with RFC 6238; a code used once is
  refused after; a challenge's session answers for the account that signed in only;
- a sign-in's code is checked against the enrolled secret only, never one being enrolled
  (VerifySoftwareToken checks the one being enrolled, as Cognito does);
- wrong codes are counted as Cognito counts them: a sign-in's session ends after
  SESSION_WRONG_CODES wrong codes or SESSION_SECONDS (the pool's AuthSessionValidity, 3 minutes
  by default); a person's consecutive wrong codes (at sign-in or VerifySoftwareToken) beyond
  PERSON_FREE_WRONG_CODES lock their codes out for 1, 2, 4 ... seconds, at most LOCKOUT_MAX_SECONDS
  (Cognito's documented lockout; Cognito publishes no exact figure for codes, so these are ours);
- the CloudTrail events Cognito records for changes to sign-in (CLOUDTRAIL_ACTIONS) go, shaped as
  EventBridge hands them on, to `cloudtrail` (the app's matching event handlers, see
  `devtools/local_events.py`), once the call succeeded.
- DeleteUser (the user's own access token; Amplify's `deleteUser`), which moto lacks, is answered,
  and every user deletion (DeleteUser, AdminDeleteUser) is published as the CloudTrail event
  EventBridge would carry (`publish`, set by the local stack: the same rule and erasure as deployed).
"""

from __future__ import annotations

import base64
import io
import json
import logging
import queue
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from moto.cognitoidp.models import cognitoidp_backends
from moto.core import DEFAULT_ACCOUNT_ID

from devtools import totp
from devtools.local_cognito_email import EmailCodeError, EmailVerification

logger = logging.getLogger("stride.local_cognito")
TARGET_PREFIX = "AWSCognitoIdentityProviderService."
TRIGGER = "cognito_trigger"
SRP_REFUSED = (
    "The local Cognito (moto) cannot verify SRP passwords, so it refuses USER_SRP_AUTH: sign in with "
    "USER_PASSWORD_AUTH (Amplify: options.authFlowType 'USER_PASSWORD_AUTH'). The deployed pool accepts both."
)
REFRESHED = "TokenGeneration_RefreshTokens"
_UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
_TOKEN_ACTIONS = {"InitiateAuth", "AdminInitiateAuth", "RespondToAuthChallenge", "AdminRespondToAuthChallenge"}
# Wrong codes one sign-in session takes before it ends, and how long it lasts (Cognito's defaults).
SESSION_WRONG_CODES = 5
SESSION_SECONDS = 180
# A person's consecutive wrong codes before each next one locks codes out (doubling, capped).
PERSON_FREE_WRONG_CODES = 5
LOCKOUT_MAX_SECONDS = 900
# Cognito calls that change how a person signs in: CloudTrail records each (a management event).
CLOUDTRAIL_ACTIONS = frozenset(
    {
        "SetUserMFAPreference",
        "AdminSetUserMFAPreference",
        "VerifySoftwareToken",
        "ChangePassword",
        "AdminSetUserPassword",
        "ConfirmForgotPassword",
        "UpdateUserAttributes",
        "AdminUpdateUserAttributes",
        "VerifyUserAttribute",
    }
)
HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS"


class CognitoError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: list[tuple[str, str]] = field(default_factory=list)


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _backend(region: str) -> Any:
    return cognitoidp_backends[DEFAULT_ACCOUNT_ID][region]


class StrictCognito:
    """The WSGI layer. `lock` is the one moto's requests are served under: the layer reads and
    changes moto's state in-process only while holding it, and runs triggers without it (a
    trigger calls moto itself)."""

    def __init__(self, app: Any, lock: threading.Lock, region: str):
        self._app = app
        self._lock = lock
        self._region = region
        # Set by `run_triggers` once the app is imported: (trigger name, event) -> event.
        self.invoke: Callable[[str, dict[str, Any]], dict[str, Any]] | None = None
        # Set by the local stack: hands an EventBridge event to the template's rules (devtools/local_events.py).
        self.publish: Callable[[dict[str, Any]], None] | None = None
        # Epoch seconds for TOTP; tests drive it.
        self.clock: Callable[[], float] = time.time
        # Set by `run_triggers`: hands an EventBridge event (CloudTrail's) to the app's rules.
        self.cloudtrail: Callable[[dict[str, Any]], Any] | None = None
        # Delivered in the background, in order, as EventBridge delivers them (seconds later on
        # AWS): a rule's handler may call Cognito itself, and a trigger may be running.
        self._trail: queue.Queue[dict[str, Any]] = queue.Queue()
        self._trail_worker: threading.Thread | None = None
        self._pending_secrets: dict[str, str] = {}
        self._secrets: dict[str, str] = {}
        self._last_steps: dict[tuple[str, str], int] = {}
        # Sign-in sessions of a TOTP challenge: session -> (started, wrong codes).
        self._challenges: dict[str, tuple[float, int]] = {}
        # A person's consecutive wrong codes and when their lockout ends.
        self._wrong_codes: dict[str, tuple[int, float]] = {}
        self._codes_lock = threading.Lock()  # moto's server is threaded: a code is used once, even twice at once
        self.emails = EmailVerification(region)  # changed addresses wait for their code

    def __call__(self, environ: Any, start_response: Any) -> Any:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        action = target.removeprefix(TARGET_PREFIX) if target.startswith(TARGET_PREFIX) else ""
        handler = getattr(self, "_" + action, None) if action else None
        if handler is None and action in CLOUDTRAIL_ACTIONS:
            handler = _forwarded
        if handler is None:
            return self._app(environ, start_response)
        raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        request = json.loads(raw or b"{}")

        def forward() -> Answer:
            environ["wsgi.input"] = io.BytesIO(raw)
            return self._forward(environ)

        try:
            subject = self._subject(action, request) if action in CLOUDTRAIL_ACTIONS else None
            answer = handler(request, forward)
        except CognitoError as error:
            answer = Answer(400, {"__type": error.code, "message": error.message})
        if subject and answer.status == 200:
            self._record_in_cloudtrail(action, request, subject)
        body = json.dumps(answer.body).encode()
        headers = [(k, v) for k, v in answer.headers if k.lower() not in ("content-length", "content-type")]
        headers += [("Content-Type", "application/x-amz-json-1.1"), ("Content-Length", str(len(body)))]
        if environ.get("HTTP_ORIGIN") and not any(k.lower() == "access-control-allow-origin" for k, _ in headers):
            headers.append(("Access-Control-Allow-Origin", "*"))  # as moto answers a browser (Amplify)
        start_response(f"{answer.status} {'OK' if answer.status < 400 else 'Bad Request'}", headers)
        return [body]

    def _forward(self, environ: Any) -> Answer:
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            captured["status"], captured["headers"] = int(status.split()[0]), headers

        payload = b"".join(self._app(environ, start_response))
        return Answer(captured["status"], json.loads(payload or b"{}"), captured["headers"])

    # moto's state, read and changed under its lock

    def _pool_of_client(self, client_id: str) -> Any:
        for pool in _backend(self._region).user_pools.values():
            if client_id in pool.clients:
                return pool
        raise CognitoError("ResourceNotFoundException", f"No app client {client_id}.")

    def _token_owner(self, access_token: str) -> tuple[Any, str, str]:
        """(pool, client id, username) of a live access token."""
        for pool in _backend(self._region).user_pools.values():
            if access_token in pool.access_tokens:
                client_id, username = pool.access_tokens[access_token]
                return pool, client_id, username
        raise CognitoError("NotAuthorizedException", "Invalid Access Token")

    def _user_key(self, pool: Any, username: str) -> str:
        return f"{pool.id}/{pool._get_user(username).id}"

    def _check_writable(self, client: Any, attributes: list[dict[str, str]]) -> None:
        writable = client.extended_config.get("WriteAttributes")
        if writable is None:
            return
        if any(attribute["Name"] not in writable for attribute in attributes):
            raise CognitoError("NotAuthorizedException", "A client attempted to write unauthorized attribute")

    # triggers

    def _event(
        self, source: str, pool_id: str, client_id: str, username: str, attributes: dict[str, str], metadata: Any
    ) -> dict[str, Any]:
        return {
            "version": "1",
            "triggerSource": source,
            "region": self._region,
            "userPoolId": pool_id,
            "userName": username,
            "callerContext": {"awsSdkVersion": "stride-local", "clientId": client_id},
            "request": {"userAttributes": attributes, "clientMetadata": metadata or {}},
            "response": {},
        }

    def _run_trigger(self, kind: str, event: dict[str, Any]) -> dict[str, Any]:
        if self.invoke is None:
            return event
        try:
            return self.invoke(TRIGGER, event)
        except Exception as exc:  # Cognito reports the function's error message to the caller
            raise CognitoError("UserLambdaValidationException", f"{kind} failed with error {exc}.") from exc

    def _user_event(
        self, source: str, pool: Any, client_id: str, username: str, metadata: Any = None
    ) -> dict[str, Any]:
        with self._lock:
            user = pool._get_user(username)
            attributes = {**user.attribute_lookup, "sub": user.id}
            name = user.username
        return self._event(source, pool.id, client_id, name, attributes, metadata)

    def _issue_hook(self, answer: Answer, source: str = "TokenGeneration_Authentication") -> Answer:
        """Pre token generation, for every answer carrying tokens: claims the trigger adds are in
        the ID token handed out (the trigger stores them as attributes, so a token made again has them)."""
        result = answer.body.get("AuthenticationResult") if answer.status == 200 else None
        if not result or "IdToken" not in result:
            return answer
        claims = _claims(result["IdToken"])
        with self._lock:
            pool = _backend(self._region).user_pools[claims["iss"].rsplit("/", 1)[1]]
            user = pool.users.get(claims.get("cognito:username", ""))
            if user is None or user.id != claims["sub"]:  # a token moto made names its user; else, a pass
                user = next(user for user in pool.users.values() if user.id == claims["sub"])
            username = user.username
        event = self._user_event(source, pool, claims["aud"], username)
        event = self._run_trigger("PreTokenGeneration", event)
        if (event.get("response") or {}).get("claimsOverrideDetails"):
            with self._lock:
                result["IdToken"], _ = pool.create_id_token(claims["aud"], username, claims.get("origin_jti", ""))
        return answer

    # actions

    def _SignUp(self, request: dict[str, Any], forward: Callable[[], Answer]) -> Answer:
        client_id = request.get("ClientId", "")
        with self._lock:
            pool = self._pool_of_client(client_id)
            self._check_writable(pool.clients[client_id], request.get("UserAttributes") or [])
        attributes = {item["Name"]: item["Value"] for item in request.get("UserAttributes") or []}
        attributes.setdefault("email", request.get("Username", ""))
        event = self._event(
            "PreSignUp_SignUp",
            pool.id,
            client_id,
            request.get("Username", ""),
            attributes,
            request.get("ClientMetadata"),
        )
        self._run_trigger("PreSignUp", event)
        return forward()

    def _UpdateUserAttributes(self, request: dict[str, Any], forward: Callable[[], Answer]) -> Answer:
        with self._lock:
            pool, client_id, username = self._token_owner(request.get("AccessToken", ""))
            self._check_writable(pool.clients[client_id], request.get("UserAttributes") or [])
            if _names_email(request):
                return self._update_email(pool, username, request.get("UserAttributes") or [], admin=False)
        return forward()

    def _confirmed(self, answer: Answer, pool: Any, client_id: str, username: str, metadata: Any) -> Answer:
        if answer.status == 200:
            event = self._user_event("PostConfirmation_ConfirmSignUp", pool, client_id, username, metadata)
            self._run_trigger("PostConfirmation", event)
        return answer

    def _ConfirmSignUp(self, request: dict[str, Any], forward: Callable[[], Answer]) -> Answer:
        client_id = request.get("ClientId", "")
        with self._lock:
            pool = self._pool_of_client(client_id)
        answer = forward()
        if answer.status == 200:
            with self._lock:
                self.emails.confirmed_sign_up(pool, request.get("Username", ""))
        return self._confirmed(answer, pool, client_id, request.get("Username", ""), request.get("ClientMetadata"))

    def _AdminConfirmSignUp(self, request: dict[str, Any], forward: Callable[[], Answer]) -> Answer:
        with self._lock:
            pool = _backend(self._region).user_pools.get(request.get("UserPoolId", ""))
        answer = forward()
        if pool is None:
            return answer
        return self._confirmed(
            answer, pool, "CLIENT_ID_NOT_APPLICABLE", request.get("Username", ""), request.get("ClientMetadata")
        )

    def _InitiateAuth(self, request: dict[str, Any], forward: Callable[[], Answer]) -> Answer:
        if request.get("AuthFlow") == "USER_SRP_AUTH":
            raise CognitoError("InvalidParameterException", SRP_REFUSED)
        refreshing = request.get("AuthFlow") in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN")
        answer = self._issue_hook(forward(), REFRESHED if refreshing else "TokenGeneration_Authentication")
        self._challenge_started(answer)
        return answer

    def _AdminInitiateAuth(self, request: dict[str, Any], forward: Callable[[], Answer]) -> Answer:
        return self._issue_hook(forward())

    def _RespondToAuthChallenge(self, request: dict[str, Any], forward: Callable[[], Answer]) -> Answer:
        responses = request.get("ChallengeResponses") or {}
        if request.get("ChallengeName") == "SOFTWARE_TOKEN_MFA":
            with self._lock:
                session = _backend(self._region).sessions.get(request.get("Session", ""))
                if session is None:
                    raise CognitoError("NotAuthorizedException", "Invalid session for the user, session is expired.")
                username, pool = session
                key = self._user_key(pool, username)
                # moto signs in whoever USERNAME names; Cognito binds the session to its user.
                named = pool._get_user(responses.get("USERNAME", ""))
                if named is None or named.id != pool._get_user(username).id:
                    raise CognitoError("NotAuthorizedException", "Invalid session for the user.")
            self._challenge_code(request.get("Session", ""), key, responses.get("SOFTWARE_TOKEN_MFA_CODE", ""))
        return self._issue_hook(forward())

    def _GetTokensFromRefreshToken(self, request: dict[str, Any], forward: Callable[[], Answer]) -> Answer:
        client_id = request.get("ClientId", "")
        with self._lock:
            pool = self._pool_of_client(client_id)
            owner = pool.refresh_tokens.get(request.get("RefreshToken", ""))
            if not owner or owner[0] != client_id:
                raise CognitoError("NotAuthorizedException", "Invalid Refresh Token")
            access_token, id_token, expires_in = pool.create_tokens_from_refresh_token(request["RefreshToken"])
        result = {"AccessToken": access_token, "IdToken": id_token, "ExpiresIn": expires_in, "TokenType": "Bearer"}
        return self._issue_hook(Answer(200, {"AuthenticationResult": result}), REFRESHED)

    def _RevokeToken(self, request: dict[str, Any], forward: Callable[[], Answer]) -> Answer:
        client_id, token = request.get("ClientId", ""), request.get("Token", "")
        with self._lock:
            pool = self._pool_of_client(client_id)
            owner = pool.refresh_tokens.get(token)
            if owner and owner[0] != client_id:
                raise CognitoError("UnauthorizedException", "The token was not issued to this client.")
            if owner:
                pool.refresh_tokens[token] = None
                # The access tokens issued from it go with it, as Cognito revokes them.
                for access_token in list(pool.access_tokens):
                    if _claims(access_token).get("origin_jti") == owner[2]:
                        pool.access_tokens.pop(access_token)
        return Answer(200, {})

    # User deletion: moto lacks DeleteUser, and no CloudTrail event follows a deletion

    def _DeleteUser(self, request: dict[str, Any], forward: Callable[[], Answer]) -> Answer:
        """As Cognito: the user of a live access token deletes themselves; their tokens stop working."""
        with self._lock:
            pool, _, username = self._token_owner(request.get("AccessToken", ""))
            user = pool._get_user(username)
            if user is None:
                raise CognitoError("UserNotFoundException", "User does not exist.")
            sub = user.id
            _backend(self._region).admin_delete_user(pool.id, user.username)
            _forget_tokens(pool, user.username)
        self._deleted("DeleteUser", pool.id, sub, {"accessToken": "HIDDEN_DUE_TO_SECURITY_REASONS"})
        return Answer(200, {})

    def _AdminDeleteUser(self, request: dict[str, Any], forward: Callable[[], Answer]) -> Answer:
        pool_id = request.get("UserPoolId", "")
        with self._lock:
            pool = _backend(self._region).user_pools.get(pool_id)
            user = pool._get_user(request.get("Username", "")) if pool is not None else None
        answer = forward()
        if answer.status == 200 and user is not None:
            with self._lock:
                _forget_tokens(pool, user.username)
            parameters = {"userPoolId": pool_id, "username": "HIDDEN_DUE_TO_SECURITY_REASONS"}
            self._deleted("AdminDeleteUser", pool_id, user.id, parameters)
        return answer

    def _deleted(self, action: str, pool_id: str, sub: str, parameters: dict[str, Any]) -> None:
        if self.publish is not None:
            self.publish(deletion_event(action, self._region, sub, parameters))

    # TOTP

    def _AssociateSoftwareToken(self, request: dict[str, Any], forward: Callable[[], Answer]) -> Answer:
        answer = forward()
        if answer.status != 200:
            return answer
        with self._lock:
            pool, username = self._session_or_token_user(request)
            key = self._user_key(pool, username)
        # 160 random bits, as Cognito's secrets (32 base-32 characters).
        secret = base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")
        self._pending_secrets[key] = secret
        answer.body["SecretCode"] = secret
        return answer

    def _VerifySoftwareToken(self, request: dict[str, Any], forward: Callable[[], Answer]) -> Answer:
        with self._lock:
            pool, username = self._session_or_token_user(request)
            key = self._user_key(pool, username)
        self._use_code(key, request.get("UserCode", ""), active=key not in self._pending_secrets)
        answer = forward()
        if answer.status == 200 and key in self._pending_secrets:
            self._secrets[key] = self._pending_secrets.pop(key)
        return answer

    def _session_or_token_user(self, request: dict[str, Any]) -> tuple[Any, str]:
        if request.get("Session"):
            session = _backend(self._region).sessions.get(request["Session"])
            if session is None:
                raise CognitoError("NotAuthorizedException", "Invalid session for the user.")
            username, pool = session
            return pool, username
        pool, _, username = self._token_owner(request.get("AccessToken", ""))
        return pool, username

    def _use_code(self, key: str, code: str, *, active: bool) -> None:
        """Checks a TOTP code against the user's secret (the one being enrolled, or the enrolled
        one); a code is accepted once. Wrong codes count towards the person's lockout."""
        with self._codes_lock:
            self._check_not_locked(key)
            secret = (self._secrets if active else self._pending_secrets).get(key)
            step = totp.matching_step(secret, code, self.clock()) if secret and code.isdigit() else None
            if step is None or step <= self._last_steps.get((key, secret or ""), -1):
                self._count_wrong_code(key)
                raise _code_mismatch()
            self._last_steps[(key, secret or "")] = step
            self._wrong_codes.pop(key, None)

    # counting wrong codes, as Cognito does

    def _challenge_started(self, answer: Answer) -> None:
        session = answer.body.get("Session") if answer.status == 200 else None
        if session and answer.body.get("ChallengeName") == "SOFTWARE_TOKEN_MFA":
            with self._codes_lock:
                now = self.clock()
                over = [key for key, (started, _) in self._challenges.items() if now - started > SESSION_SECONDS]
                self._challenges[session] = (now, 0)
            # Sessions never answered end once over (a long `make run` keeps no pile of them).
            for key in over:
                self._end_session(key)

    def _end_session(self, session: str) -> None:
        self._challenges.pop(session, None)
        with self._lock:
            _backend(self._region).sessions.pop(session, None)

    def _challenge_code(self, session: str, key: str, code: str) -> None:
        """A sign-in's code: its session ends after SESSION_WRONG_CODES wrong ones or SESSION_SECONDS."""
        with self._codes_lock:
            started, wrong = self._challenges.get(session, (self.clock(), 0))
        if self.clock() - started > SESSION_SECONDS:
            self._end_session(session)
            raise CognitoError("NotAuthorizedException", "Invalid session for the user, session is expired.")
        try:
            self._use_code(key, code, active=True)
        except CognitoError as error:
            if error.code == "CodeMismatchException":
                wrong += 1
                if wrong >= SESSION_WRONG_CODES:
                    self._end_session(session)
                else:
                    with self._codes_lock:
                        self._challenges[session] = (started, wrong)
            raise
        with self._codes_lock:
            self._challenges.pop(session, None)

    def _check_not_locked(self, key: str) -> None:
        _, locked_until = self._wrong_codes.get(key, (0, 0.0))
        if self.clock() < locked_until:
            raise CognitoError("NotAuthorizedException", "Password attempts exceeded")

    def _count_wrong_code(self, key: str) -> None:
        wrong, _ = self._wrong_codes.get(key, (0, 0.0))
        wrong += 1
        over = wrong - PERSON_FREE_WRONG_CODES
        lockout = min(LOCKOUT_MAX_SECONDS, 2 ** (over - 1)) if over > 0 else 0  # 1, 2, 4 ... seconds
        self._wrong_codes[key] = (wrong, self.clock() + lockout)

    # CloudTrail: what Cognito records of a change to sign-in, handed on as EventBridge does

    def _subject(self, action: str, request: dict[str, Any]) -> tuple[str, str] | None:
        """(pool id, sub) of the person the call is about, before the call changes anything."""
        with self._lock:
            if action.startswith("Admin"):
                pool = _backend(self._region).user_pools.get(request.get("UserPoolId", ""))
                user = pool._get_user(request.get("Username", "")) if pool else None
                return (pool.id, user.id) if pool and user else None
            if action == "ConfirmForgotPassword":
                try:
                    pool = self._pool_of_client(request.get("ClientId", ""))
                except CognitoError:
                    return None
                user = pool._get_user(request.get("Username", ""))
                return (pool.id, user.id) if user else None
            try:
                pool, _, username = self._token_owner(request.get("AccessToken", ""))
            except CognitoError:
                return None
            return pool.id, pool._get_user(username).id

    def _record_in_cloudtrail(self, action: str, request: dict[str, Any], subject: tuple[str, str]) -> None:
        if self.cloudtrail is None:
            return
        self._trail.put(cloudtrail_event(self._region, action, request, *subject))
        with self._codes_lock:
            if self._trail_worker is None:
                self._trail_worker = threading.Thread(target=self._deliver_trail, name="stride-cloudtrail", daemon=True)
                self._trail_worker.start()

    def _deliver_trail(self) -> None:
        while True:
            event = self._trail.get()
            try:
                if self.cloudtrail is not None:
                    self.cloudtrail(event)
            except Exception:  # a failing rule never fails the call that was recorded
                logger.exception("local CloudTrail delivery of %s failed", event["detail"]["eventName"])
            finally:
                self._trail.task_done()

    def cloudtrail_delivered(self, timeout: float = 10.0) -> bool:
        """Waits until every CloudTrail event recorded so far went to the app's rules (for tests)."""
        with self._trail.all_tasks_done:
            return self._trail.all_tasks_done.wait_for(lambda: not self._trail.unfinished_tasks, timeout)

    # e-mail addresses (devtools/local_cognito_email.py); called with moto's lock held

    def _update_email(self, pool: Any, username: str, attributes: list[dict[str, str]], *, admin: bool) -> Answer:
        user = pool._get_user(username)
        if user is None:
            raise CognitoError("UserNotFoundException", "User does not exist.")
        try:
            write_now, delivery = self.emails.update(pool, user, attributes, admin=admin)
        except EmailCodeError as error:
            raise CognitoError(error.code, error.message) from error
        if write_now:
            user.update_attributes(write_now)
        return Answer(200, {} if admin else {"CodeDeliveryDetailsList": [delivery] if delivery else []})

    def _AdminUpdateUserAttributes(self, request: dict[str, Any], forward: Callable[[], Answer]) -> Answer:
        if not _names_email(request):
            return forward()
        with self._lock:
            pool = _backend(self._region).user_pools.get(request.get("UserPoolId", ""))
            if pool is None:
                raise CognitoError("ResourceNotFoundException", "User pool does not exist.")
            attributes = request.get("UserAttributes") or []
            return self._update_email(pool, request.get("Username", ""), attributes, admin=True)

    def _GetUserAttributeVerificationCode(self, request: dict[str, Any], forward: Callable[[], Answer]) -> Answer:
        if request.get("AttributeName") != "email":
            return forward()
        with self._lock:
            pool, _, username = self._token_owner(request.get("AccessToken", ""))
            delivery = self.emails.send_code(pool, pool._get_user(username))
        return Answer(200, {"CodeDeliveryDetails": delivery})

    def _VerifyUserAttribute(self, request: dict[str, Any], forward: Callable[[], Answer]) -> Answer:
        if request.get("AttributeName") != "email":
            return forward()
        with self._lock:
            pool, _, username = self._token_owner(request.get("AccessToken", ""))
            try:
                self.emails.verify(pool, pool._get_user(username), str(request.get("Code", "")))
            except EmailCodeError as error:
                raise CognitoError(error.code, error.message) from error
        return Answer(200, {})

    def _ConfirmForgotPassword(self, request: dict[str, Any], forward: Callable[[], Answer]) -> Answer:
        """moto answers an unknown address with ResourceNotFoundException (the API's 503); Cognito
        answers as for a wrong code when the client prevents user existence errors (Stride's does),
        UserNotFoundException otherwise."""
        client_id = request.get("ClientId", "")
        with self._lock:
            pool = self._pool_of_client(client_id)
            known = pool._get_user(request.get("Username", "")) is not None
            prevents = pool.clients[client_id].extended_config.get("PreventUserExistenceErrors") == "ENABLED"
        if known:
            return forward()
        if prevents:
            raise CognitoError("CodeMismatchException", "Invalid verification code provided, please try again.")
        raise CognitoError("UserNotFoundException", "Username/client id combination not found.")


def _forwarded(request: dict[str, Any], forward: Callable[[], Answer]) -> Answer:
    return forward()


def _camel(name: str) -> str:
    return name[0].lower() + name[1:]


def _request_parameters(action: str, request: dict[str, Any], pool_id: str) -> dict[str, Any]:
    """The request as CloudTrail records it: secrets hidden, attribute names kept."""
    parameters: dict[str, Any] = {}
    if action.startswith("Admin"):
        parameters.update(userPoolId=pool_id, username=HIDDEN)
    if "AccessToken" in request:
        parameters["accessToken"] = HIDDEN
    if "UserAttributes" in request:
        parameters["userAttributes"] = [
            {"name": item.get("Name"), "value": HIDDEN} for item in request["UserAttributes"]
        ]
    if "AttributeName" in request:
        parameters["attributeName"] = request["AttributeName"]
    for name in ("SoftwareTokenMfaSettings", "SMSMfaSettings", "EmailMfaSettings"):
        if name in request:
            parameters[_camel(name)] = {_camel(key): value for key, value in request[name].items()}
    return parameters


def cloudtrail_event(region: str, action: str, request: dict[str, Any], pool_id: str, sub: str) -> dict[str, Any]:
    """What EventBridge hands a rule for a Cognito call CloudTrail recorded."""
    return _trail_event(
        region, action, _request_parameters(action, request, pool_id), {"sub": sub, "userPoolId": pool_id}
    )


def _trail_event(region: str, action: str, parameters: dict[str, Any], additional: dict[str, Any]) -> dict[str, Any]:
    """A CloudTrail management event of cognito-idp as EventBridge carries it."""
    moment = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.cognito-idp",
        "account": DEFAULT_ACCOUNT_ID,
        "time": moment,
        "region": region,
        "resources": [],
        "detail": {
            "eventVersion": "1.08",
            "eventTime": moment,
            "eventSource": "cognito-idp.amazonaws.com",
            "eventName": action,
            "awsRegion": region,
            "requestParameters": parameters,
            "responseElements": None,
            "additionalEventData": additional,
            "eventID": str(uuid.uuid4()),
            "readOnly": False,
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "eventCategory": "Management",
        },
    }


def _forget_tokens(pool: Any, username: str) -> None:
    """A deleted user's access and refresh tokens stop working, as Cognito's do."""
    for token, owner in list(pool.access_tokens.items()):
        if owner and owner[1] == username:
            pool.access_tokens.pop(token)
    for token, owner in list(pool.refresh_tokens.items()):
        if owner and owner[1] == username:
            pool.refresh_tokens[token] = None


def deletion_event(action: str, region: str, sub: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """What EventBridge carries for a user deletion CloudTrail recorded: the user named by
    `additionalEventData.sub`, the user name hidden."""
    return _trail_event(region, action, parameters, {"sub": sub})


def _names_email(request: dict[str, Any]) -> bool:
    return any(item.get("Name") == "email" for item in request.get("UserAttributes") or [])


def _code_mismatch() -> CognitoError:
    return CognitoError("CodeMismatchException", "Invalid code received for user")


def limit_token_lifetimes(region: str, pool_id: str, client_id: str, client_props: dict[str, Any]) -> None:
    """moto issues every token for an hour; the deployed pool for as long as the client says."""
    units = client_props.get("TokenValidityUnits", {})
    lifetimes = {
        "access": client_props["AccessTokenValidity"] * _UNITS[units.get("AccessToken", "hours")],
        "id": client_props["IdTokenValidity"] * _UNITS[units.get("IdToken", "hours")],
    }
    pool = _backend(region).user_pools[pool_id]
    issue = pool.create_jwt

    def create_jwt(client: str, username: str, token_use: str, expires_in: int = 3600, extra_data: Any = None) -> Any:
        lifetime = lifetimes.get(token_use, expires_in) if client == client_id else expires_in
        return issue(client, username, token_use, lifetime, extra_data)

    pool.create_jwt = create_jwt
