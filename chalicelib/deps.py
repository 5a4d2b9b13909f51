"""Builds AWS clients, stores and services on first use, then reuses them.

Nothing here runs at import time: cold starts stay short, tests can start moto first,
and Chalice's stage environment variables are in place by the time anything is built.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, cast

from chalicelib.config import settings

if TYPE_CHECKING:
    from boto3.session import Session
    from botocore.client import BaseClient

    from chalicelib.adapters.cloudfront_links import CloudFrontLinks, UnavailableLinks
    from chalicelib.adapters.ses_mailer import SesMailer
    from chalicelib.collection import Collection
    from chalicelib.cursors import CursorCodec
    from chalicelib.domains.account.service import AccountDataService
    from chalicelib.domains.activities.service import ActivityService, RecordsService
    from chalicelib.domains.activities.store import TrackFiles
    from chalicelib.domains.auth.notices import SignInNotices
    from chalicelib.domains.auth.service import AuthService
    from chalicelib.domains.businesses.service import BusinessService
    from chalicelib.domains.coaching.assessment_service import AssessmentService
    from chalicelib.domains.coaching.program_service import ProgramService
    from chalicelib.domains.coaching.sharing_service import SharingService
    from chalicelib.domains.coaching.sharing_store import SharingStore
    from chalicelib.domains.email.feedback_service import FeedbackService
    from chalicelib.domains.email.service import ReminderService
    from chalicelib.domains.email.store import EmailSchedule
    from chalicelib.domains.email.suppression_store import SuppressionStore
    from chalicelib.domains.me.preferences_service import PreferencesService
    from chalicelib.domains.me.profile_service import ProfileService
    from chalicelib.domains.media.service import MediaService
    from chalicelib.domains.media.store import MediaFiles
    from chalicelib.domains.social.service import SocialService
    from chalicelib.domains.social.store import PostStore
    from chalicelib.domains.stats.service import StatsService
    from chalicelib.domains.tasks.service import TaskService
    from chalicelib.domains.videos.progress_service import VideoProgressService
    from chalicelib.domains.videos.service import VideoService
    from chalicelib.domains.videos.store import VideoFiles
    from chalicelib.domains.webhooks.service import WebhookService
    from chalicelib.domains.weights.service import WeightService
    from chalicelib.domains.workouts.service import WorkoutService
    from chalicelib.identity import Identity, LocalTokenVerifier
    from chalicelib.jobs import JobQueue, JobRunner
    from chalicelib.repositories.idempotency import IdempotencyStore
    from chalicelib.repositories.items import Kind, OwnedItems
    from chalicelib.repositories.throttle import TenantThrottle

# A pool as large as the e-mail run's workers (chalicelib/domains/email/service.py, RUN_WORKERS): each
# thread keeps its connection instead of opening a new one per call.
_CLIENT_CONFIG = {
    "connect_timeout": 2,
    "retries": {"max_attempts": 3, "mode": "standard"},
    "max_pool_connections": 32,
}


@functools.cache
def aws_session() -> Session:
    import boto3

    return boto3.session.Session()


@functools.cache
def aws_client(service: str) -> BaseClient:
    from botocore.config import Config

    # AWS_ENDPOINT_URL, set only in stage local, points every client at the embedded moto.
    current = settings()
    config = Config(read_timeout=current.aws_read_timeout, **_CLIENT_CONFIG)
    return aws_session().client(service, region_name=current.region, config=config)


class _ClientOnFirstCall:
    """Stands for `aws_client(service)` and builds it on the first call made through it. Building a
    client loads its service's model (S3's: ~30-60 ms, Cognito's ~15 ms on a cold start): a service
    that holds a client it may never call (the feed's S3 client serves only a post's deletion; an
    import's Cognito, S3 and SQS clients serve other routes of the account service) does not pay for
    it on a cold request. The client is the same cached one `aws_client` returns."""

    def __init__(self, service: str):
        self._service = service

    def __getattr__(self, name: str) -> Any:
        return getattr(aws_client(self._service), name)


def lazy_client(service: str) -> BaseClient:
    return cast("BaseClient", _ClientOnFirstCall(service))


@functools.cache
def token_verifier() -> LocalTokenVerifier:
    from chalicelib.identity import LocalTokenVerifier

    return LocalTokenVerifier(settings())


# What app.py hands the router (chalicelib.api.router.Guards): each builds what it needs on its first call.


def verify_token(token: str) -> dict[str, Any]:
    return token_verifier().verify(token)


def require_role(identity: Identity, roles: tuple[str, ...]) -> None:
    businesses().require_role(identity, roles)


def account_exists(identity: Identity) -> bool:
    return profiles().account_exists(identity)


def charge_tenant(identity: Identity, requests: int = 1) -> None:
    """Counts requests against the caller's tenant's budget, where the stage throttles tenants."""
    if (throttle := tenant_throttle()) is not None:
        throttle.admit(identity.tenant_id, requests)


@functools.cache
def tenant_throttle() -> TenantThrottle | None:
    """None where the stage switched per-tenant throttling off."""
    current = settings()
    if current.tenant_requests_per_minute is None:
        return None
    from chalicelib import clock
    from chalicelib.repositories.throttle import TenantThrottle

    return TenantThrottle(aws_client("dynamodb"), current.table_name, current.tenant_requests_per_minute, clock.epoch)


@functools.cache
def profiles() -> ProfileService:
    from chalicelib.domains.me.profile_service import ProfileService
    from chalicelib.domains.me.profile_store import ProfileStore
    from chalicelib.domains.media.store import MediaStore

    table = settings().table_name
    dynamodb = aws_client("dynamodb")
    return ProfileService(ProfileStore(dynamodb, table), MediaStore(dynamodb, table))


@functools.cache
def preferences() -> PreferencesService:
    from chalicelib.domains.me.preferences_service import PreferencesService
    from chalicelib.domains.me.preferences_store import PreferencesStore

    table = settings().table_name
    return PreferencesService(PreferencesStore(aws_client("dynamodb"), table), _email_schedule)


@functools.cache
def _email_schedule() -> EmailSchedule:
    from chalicelib.domains.email.store import EmailSchedule

    return EmailSchedule(aws_client("dynamodb"), settings().table_name)


@functools.cache
def suppressions() -> SuppressionStore:
    from chalicelib.domains.email.suppression_store import SuppressionStore

    return SuppressionStore(aws_client("dynamodb"), settings().table_name)


def mailer() -> SesMailer:
    """The SES mailer every send goes through: the stage's configuration set named on each message,
    and an address on the suppression list refused before SES is asked."""
    from chalicelib.adapters.ses_mailer import SesMailer
    from chalicelib.config import ConfigurationError

    current = settings()
    if not current.email_sender or not current.ses_configuration_set:
        raise ConfigurationError("EMAIL_SENDER and SES_CONFIGURATION_SET must be set to send e-mail")
    return SesMailer(lazy_client("ses"), current.email_sender, current.ses_configuration_set, suppressions().contains)


@functools.cache
def email_feedback() -> FeedbackService:
    from chalicelib.adapters.cognito_users import CognitoUsers
    from chalicelib.config import ConfigurationError
    from chalicelib.domains.email.feedback_service import FeedbackService

    current = settings()
    if not current.ses_configuration_set:
        raise ConfigurationError("SES_CONFIGURATION_SET must be set to act on SES's bounces and complaints")
    users = CognitoUsers(aws_client("cognito-idp"), current.user_pool_id, current.app_client_id)
    return FeedbackService(suppressions(), users.subs_with_email, preferences().turn_off, current.ses_configuration_set)


@functools.cache
def reminders() -> ReminderService:
    from chalicelib.config import ConfigurationError
    from chalicelib.domains.email.service import ReminderService

    current = settings()
    if not current.email_sender or not current.public_api_url:
        raise ConfigurationError("EMAIL_SENDER and PUBLIC_API_URL must be set to send e-mail")
    return ReminderService(
        _email_schedule(),
        preferences(),
        mailer(),
        tasks(),
        stats(),
        cursor_codec,
        current.public_api_url,
    )


@functools.cache
def auth() -> AuthService:
    from chalicelib.adapters.cognito_users import CognitoUsers
    from chalicelib.domains.auth.service import AuthService
    from chalicelib.domains.me.profile_store import ProfileStore

    current = settings()
    users = CognitoUsers(lazy_client("cognito-idp"), current.user_pool_id, current.app_client_id)
    return AuthService(users, ProfileStore(aws_client("dynamodb"), current.table_name), businesses())


@functools.cache
def sign_in_notices() -> SignInNotices:
    from chalicelib.adapters.cognito_users import CognitoUsers
    from chalicelib.domains.auth.notices import SignInNotices

    current = settings()
    users = CognitoUsers(lazy_client("cognito-idp"), current.user_pool_id, current.app_client_id)
    return SignInNotices(users, mailer(), current.user_pool_id, businesses().two_step_changed)


@functools.cache
def cursor_codec() -> CursorCodec:
    """Read once per container; the key never appears in code or in a deployed environment."""
    from chalicelib.config import ConfigurationError
    from chalicelib.cursors import CursorCodec

    current = settings()
    if current.cursor_key_secret_arn:
        secret = aws_client("secretsmanager").get_secret_value(SecretId=current.cursor_key_secret_arn)
        return CursorCodec(secret["SecretString"].encode())
    if current.is_local and current.cursor_key:
        return CursorCodec(current.cursor_key.encode())
    raise ConfigurationError("CURSOR_KEY_SECRET_ARN is not set (CURSOR_KEY is accepted in stage local only)")


def _owned(kind: Kind) -> OwnedItems:
    from chalicelib.repositories.items import OwnedItems

    return OwnedItems(aws_client("dynamodb"), settings().table_name, kind)


@functools.cache
def weights() -> WeightService:
    from chalicelib.domains.weights.service import WeightService
    from chalicelib.domains.weights.store import WEIGHTS

    return WeightService(_tracked(WEIGHTS), preferences())


@functools.cache
def workouts() -> WorkoutService:
    from chalicelib.domains.workouts.service import WorkoutService
    from chalicelib.domains.workouts.store import WORKOUTS

    return WorkoutService(_tracked(WORKOUTS), preferences())


@functools.cache
def _tracks() -> TrackFiles:
    from chalicelib.domains.activities.store import TrackFiles

    return TrackFiles(lazy_client("s3"), settings().media_bucket)


@functools.cache
def activities() -> ActivityService:
    from chalicelib.domains.activities.service import ActivityService
    from chalicelib.domains.activities.store import ActivityStore
    from chalicelib.domains.media.public import MediaStore
    from chalicelib.domains.workouts.store import WORKOUTS

    current = settings()
    return ActivityService(
        ActivityStore(aws_client("dynamodb"), current.table_name),
        _tracks(),
        _tracked(WORKOUTS),
        preferences(),
        MediaStore(aws_client("dynamodb"), current.table_name),
        job_queue,
    )


@functools.cache
def activity_records() -> RecordsService:
    from chalicelib.clock import utc_now
    from chalicelib.domains.activities.service import RecordsService
    from chalicelib.domains.activities.store import ActivityStore, RecordStore

    current = settings()
    return RecordsService(
        RecordStore(aws_client("dynamodb"), current.table_name),
        ActivityStore(aws_client("dynamodb"), current.table_name),
        _tracks(),
        job_queue,
        utc_now,
    )


@functools.cache
def tasks() -> TaskService:
    from chalicelib.domains.tasks.service import TaskService
    from chalicelib.domains.tasks.store import TASKS, TaskStore

    return TaskService(TaskStore(_owned(TASKS), _idempotency(), cursor_codec), preferences())


def _tracked(kind: Kind) -> Collection:
    """Owned items of one kind, with Idempotency-Keys and signed cursors."""
    from chalicelib.collection import Collection

    return Collection(_owned(kind), _idempotency(), cursor_codec)


def _idempotency() -> IdempotencyStore:
    from chalicelib.repositories.idempotency import IdempotencyStore

    return IdempotencyStore(aws_client("dynamodb"), settings().table_name)


@functools.cache
def stats() -> StatsService:
    from chalicelib.domains.stats.service import StatsService
    from chalicelib.domains.stats.store import RollupStore

    return StatsService(RollupStore(aws_client("dynamodb"), settings().table_name), preferences())


@functools.cache
def account_data() -> AccountDataService:
    from chalicelib.adapters.cognito_users import CognitoUsers
    from chalicelib.domains.account.files import ExportFiles
    from chalicelib.domains.account.service import AccountDataService, coverage
    from chalicelib.domains.account.store import AccountStore
    from chalicelib.domains.activities.export import TrackExport
    from chalicelib.repositories.accounts import AccountList

    current = settings()
    return AccountDataService(
        AccountStore(aws_client("dynamodb"), current.table_name),
        ExportFiles(lazy_client("s3"), current.media_bucket),
        CognitoUsers(lazy_client("cognito-idp"), current.user_pool_id, current.app_client_id),
        preferences(),
        coverage(),
        businesses(),
        current.export_inline_limit_bytes,
        jobs=job_queue(),
        accounts=AccountList(aws_client("dynamodb"), current.table_name),
        charge=charge_tenant,
        report=_log_line,
        attachments=(TrackExport(_tracks()),),
    )


def _log_line(line: dict[str, Any]) -> None:
    from chalicelib.logs import write_line

    write_line(line)


@functools.cache
def job_queue() -> JobQueue:
    from chalicelib.config import ConfigurationError
    from chalicelib.jobs import JobQueue

    current = settings()
    if not current.jobs_queue_url:
        raise ConfigurationError("JOBS_QUEUE_URL is not set: background jobs have no queue")
    return JobQueue(lazy_client("sqs"), current.jobs_queue_url)


@functools.cache
def job_runner() -> JobRunner:
    from chalicelib import domains
    from chalicelib.jobs import JobRunner

    return JobRunner(domains.job_handler, job_queue())


@functools.cache
def _posts() -> PostStore:
    from chalicelib.domains.social.store import PostStore

    return PostStore(aws_client("dynamodb"), settings().table_name)


@functools.cache
def _media_files() -> MediaFiles:
    from chalicelib.domains.media.store import MediaFiles

    return MediaFiles(lazy_client("s3"), settings().media_bucket)


@functools.cache
def social() -> SocialService:
    from chalicelib.domains.social.service import SocialService

    return SocialService(_posts(), _media_files(), cursor_codec)


@functools.cache
def media() -> MediaService:
    from chalicelib.domains.media.service import MediaService
    from chalicelib.domains.media.store import MediaStore

    return MediaService(MediaStore(aws_client("dynamodb"), settings().table_name), _media_files(), _posts())


@functools.cache
def video_links() -> CloudFrontLinks | VideoFiles | UnavailableLinks:
    """Signed CloudFront URLs where the stage configures a distribution, else pre-signed S3 GETs.
    The private key is read from Secrets Manager here, once per container; a key that cannot be used
    (missing, refused, not an RSA private key) is logged once and kept as `UnavailableLinks`, which
    refuses each stream with a 503: never a Secrets Manager call per request. A throttled or failed
    read (AWS busy) is not kept: the next stream tries again."""
    current = settings()
    if not current.video_cdn_enabled:
        return _video_files()
    from botocore.exceptions import ClientError

    from chalicelib.adapters.cloudfront_links import SECRET_MISCONFIGURED, CloudFrontLinks, UnavailableLinks
    from chalicelib.config import ConfigurationError
    from chalicelib.logs import write_line

    try:
        secret = aws_client("secretsmanager").get_secret_value(SecretId=current.video_cdn_private_key_secret_arn)
        return CloudFrontLinks(
            str(current.video_cdn_domain), str(current.video_cdn_key_pair_id), secret["SecretString"]
        )
    except ConfigurationError as exc:
        reason = str(exc)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code not in SECRET_MISCONFIGURED:
            raise
        reason = f"the video CDN's private key secret cannot be read: {code}"
    write_line({"level": "ERROR", "message": "video_cdn_misconfigured", "reason": reason})
    return UnavailableLinks(reason)


@functools.cache
def _video_files() -> VideoFiles:
    from chalicelib.domains.videos.store import VideoFiles

    return VideoFiles(lazy_client("s3"), settings().media_bucket)


@functools.cache
def videos() -> VideoService:
    from chalicelib.domains.media.store import MediaStore
    from chalicelib.domains.videos.service import VideoService
    from chalicelib.domains.videos.store import VideoLibrary

    table, dynamodb = settings().table_name, aws_client("dynamodb")
    return VideoService(
        VideoLibrary(dynamodb, table), MediaStore(dynamodb, table), _video_files(), video_links, cursor_codec
    )


@functools.cache
def video_progress() -> VideoProgressService:
    from chalicelib.domains.videos.progress_service import VideoProgressService
    from chalicelib.domains.videos.progress_store import PROGRESS, VideoProgressStore
    from chalicelib.repositories.items import OwnedItems

    table, dynamodb = settings().table_name, aws_client("dynamodb")
    return VideoProgressService(
        VideoProgressStore(dynamodb, table), OwnedItems(dynamodb, table, PROGRESS), cursor_codec
    )


@functools.cache
def businesses() -> BusinessService:
    from chalicelib.adapters.cognito_users import CognitoUsers
    from chalicelib.domains.businesses.service import BusinessService
    from chalicelib.domains.businesses.store import BusinessStore

    current = settings()
    return BusinessService(
        BusinessStore(aws_client("dynamodb"), current.table_name),
        CognitoUsers(lazy_client("cognito-idp"), current.user_pool_id, current.app_client_id),
        cursor_codec,
        mail=lambda message: mailer().send(message),
        web_origin=current.frontend_origin,
    )


@functools.cache
def assessments() -> AssessmentService:
    from chalicelib.domains.coaching.assessment_service import AssessmentService
    from chalicelib.domains.coaching.assessment_store import AssessmentStore

    return AssessmentService(AssessmentStore(aws_client("dynamodb"), settings().table_name), cursor_codec)


@functools.cache
def _sharing_store() -> SharingStore:
    from chalicelib.domains.coaching.sharing_store import SharingStore

    return SharingStore(aws_client("dynamodb"), settings().table_name)


@functools.cache
def sharing() -> SharingService:
    from chalicelib.domains.coaching.sharing_service import SharingService

    return SharingService(_sharing_store())


@functools.cache
def programs() -> ProgramService:
    from chalicelib.domains.coaching.library_videos import LibraryVideos
    from chalicelib.domains.coaching.program_service import ProgramService
    from chalicelib.domains.coaching.program_store import PROGRAMS, SUBMISSIONS, ProgramStore
    from chalicelib.domains.workouts.service import WorkoutService

    dynamodb, table = aws_client("dynamodb"), settings().table_name
    return ProgramService(
        store=ProgramStore(dynamodb, table),
        submissions=_owned(SUBMISSIONS),
        programs=_owned(PROGRAMS),
        assessments=assessments(),
        videos=LibraryVideos(dynamodb, table),
        preferences=preferences(),
        sharing=_sharing_store(),
        build_workout=lambda body, meta, zone: dict(WorkoutService.build(body, meta, zone)),
        cursors=cursor_codec,
        shared_track=lambda owner, workout_id: activities().shared_track(owner, workout_id),
    )


@functools.cache
def webhooks() -> WebhookService:
    from chalicelib.adapters.webhook_sender import WebhookDelivery
    from chalicelib.domains.webhooks.service import WebhookService
    from chalicelib.domains.webhooks.store import WebhookStore
    from chalicelib.domains.webhooks.views import webhook_view
    from chalicelib.repositories.stream import change_of

    current = settings()
    store = WebhookStore(aws_client("dynamodb"), current.table_name)
    # Stage local: plain http to 127.0.0.1 allowed (the end-to-end tests' receiver), nothing else sent.
    delivery = WebhookDelivery(allow_local_http=current.is_local, local_only=current.is_local)
    return WebhookService(store, delivery, webhook_view, change_of)
