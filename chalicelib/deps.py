"""Builds AWS clients, repositories and services on first use, then reuses them.

Nothing here runs at import time: cold starts stay short, tests can start moto first,
and Chalice's stage environment variables are in place by the time anything is built.
"""

from __future__ import annotations

import functools
from typing import Any

from chalicelib.config import settings

_CLIENT_CONFIG = {"connect_timeout": 2, "retries": {"max_attempts": 3, "mode": "standard"}}


@functools.cache
def aws_session() -> Any:
    import boto3

    return boto3.session.Session()


@functools.cache
def aws_client(service: str) -> Any:
    from botocore.config import Config

    # AWS_ENDPOINT_URL, set only in stage local, points every client at the embedded moto.
    current = settings()
    config = Config(read_timeout=current.aws_read_timeout, **_CLIENT_CONFIG)
    return aws_session().client(service, region_name=current.region, config=config)


@functools.cache
def token_verifier() -> Any:
    from chalicelib.identity import LocalTokenVerifier

    return LocalTokenVerifier(settings())


@functools.cache
def tenant_throttle() -> Any:
    """None where the stage switched per-tenant throttling off."""
    current = settings()
    if current.tenant_requests_per_minute is None:
        return None
    from chalicelib import clock
    from chalicelib.repositories.throttle import TenantThrottle

    return TenantThrottle(aws_client("dynamodb"), current.table_name, current.tenant_requests_per_minute, clock.epoch)


@functools.cache
def profiles() -> Any:
    from chalicelib.repositories.media import MediaRepository
    from chalicelib.repositories.profiles import ProfileRepository
    from chalicelib.services.profile import ProfileService

    table = settings().table_name
    dynamodb = aws_client("dynamodb")
    return ProfileService(ProfileRepository(dynamodb, table), MediaRepository(dynamodb, table))


@functools.cache
def preferences() -> Any:
    from chalicelib.repositories.preferences import PreferencesRepository
    from chalicelib.services.preferences import PreferencesService

    table = settings().table_name
    return PreferencesService(PreferencesRepository(aws_client("dynamodb"), table), _email_schedule())


def _email_schedule() -> Any:
    from chalicelib.repositories.email_schedule import EmailSchedule

    return EmailSchedule(aws_client("dynamodb"), settings().table_name)


@functools.cache
def reminders() -> Any:
    from chalicelib.config import ConfigurationError
    from chalicelib.repositories.mailer import SesMailer
    from chalicelib.services.reminders import ReminderService

    current = settings()
    if not current.email_sender or not current.public_api_url:
        raise ConfigurationError("EMAIL_SENDER and PUBLIC_API_URL must be set to send e-mail")
    return ReminderService(
        _email_schedule(),
        preferences(),
        SesMailer(aws_client("ses"), current.email_sender),
        tasks(),
        stats(),
        cursor_codec,
        current.public_api_url,
    )


@functools.cache
def auth() -> Any:
    from chalicelib.repositories.profiles import ProfileRepository
    from chalicelib.repositories.users import CognitoUsers
    from chalicelib.services.auth import AuthService

    current = settings()
    users = CognitoUsers(aws_client("cognito-idp"), current.user_pool_id, current.app_client_id)
    return AuthService(users, ProfileRepository(aws_client("dynamodb"), current.table_name), businesses())


@functools.cache
def cursor_codec() -> Any:
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


def _owned(kind: Any) -> Any:
    from chalicelib.repositories.items import OwnedItems

    return OwnedItems(aws_client("dynamodb"), settings().table_name, kind)


@functools.cache
def weights() -> Any:
    from chalicelib.services.weights import WEIGHTS, WeightService

    return WeightService(_owned(WEIGHTS), _idempotency(), cursor_codec, preferences())


@functools.cache
def workouts() -> Any:
    from chalicelib.services.workouts import WORKOUTS, WorkoutService

    return WorkoutService(_owned(WORKOUTS), _idempotency(), cursor_codec, preferences())


@functools.cache
def tasks() -> Any:
    from chalicelib.services.tasks import TASKS, TaskService

    return TaskService(_owned(TASKS), _idempotency(), cursor_codec, preferences())


def _idempotency() -> Any:
    from chalicelib.repositories.idempotency import IdempotencyStore

    return IdempotencyStore(aws_client("dynamodb"), settings().table_name)


@functools.cache
def stats() -> Any:
    from chalicelib.services.stats import StatsService
    from chalicelib.services.tasks import TASKS
    from chalicelib.services.weights import WEIGHTS
    from chalicelib.services.workouts import WORKOUTS

    return StatsService(_owned(WEIGHTS), _owned(WORKOUTS), _owned(TASKS), preferences())


@functools.cache
def account_data() -> Any:
    from chalicelib.repositories.account import AccountStore
    from chalicelib.repositories.exports import ExportFiles
    from chalicelib.repositories.users import CognitoUsers
    from chalicelib.repositories.video_progress import PROGRESS
    from chalicelib.repositories.webhooks import DEAD_LETTERS, DELIVERIES, WEBHOOKS
    from chalicelib.schemas.account import TaskRecord, WeightRecord, WorkoutRecord
    from chalicelib.services.account_data import AccountDataService, DataDomain
    from chalicelib.services.media import MEDIA, media_record
    from chalicelib.services.programs import PROGRAMS, SUBMISSIONS, export_program, export_submission
    from chalicelib.services.reminders import SCHEDULE, SENT, export_schedule, export_sent
    from chalicelib.services.tasks import TASKS, TaskService
    from chalicelib.services.video_progress import progress_record
    from chalicelib.services.webhooks import export_dead_letter, export_delivery, export_webhook
    from chalicelib.services.weights import WEIGHTS, WeightService
    from chalicelib.services.workouts import WORKOUTS, WorkoutService

    current = settings()
    # Every domain holding user data joins here; export, import and deletion then include it.
    domains = (
        DataDomain("weights", WEIGHTS, WeightService.build, WeightService.export_record, WeightRecord),
        DataDomain("workouts", WORKOUTS, WorkoutService.build, WorkoutService.export_record, WorkoutRecord),
        DataDomain("tasks", TASKS, TaskService.build, TaskService.export_record, TaskRecord),
        DataDomain("media", MEDIA, None, media_record, None),
        # Exported, not imported: progress only means something against a tenant's library.
        DataDomain("video_progress", PROGRESS, None, progress_record, None),
        # Exported and deleted with the account; not imported (a program is made from a submission).
        DataDomain("assessment_submissions", SUBMISSIONS, None, export_submission, None),
        DataDomain("programs", PROGRAMS, None, export_program, None),
        # The e-mail schedule follows the preferences (imported with them, not by itself).
        DataDomain("email_schedule", SCHEDULE, None, export_schedule, None),
        DataDomain("emails_sent", SENT, None, export_sent, None),
        # Exported without their secrets, deleted with the account; not imported (a webhook's
        # secret is shown once: an imported one would sign with a secret nobody knows).
        DataDomain("webhooks", WEBHOOKS, None, export_webhook, None),
        DataDomain("webhook_deliveries", DELIVERIES, None, export_delivery, None),
        DataDomain("webhook_dead_letters", DEAD_LETTERS, None, export_dead_letter, None),
    )
    return AccountDataService(
        AccountStore(aws_client("dynamodb"), current.table_name),
        ExportFiles(aws_client("s3"), current.media_bucket),
        CognitoUsers(aws_client("cognito-idp"), current.user_pool_id, current.app_client_id),
        preferences(),
        domains,
        (social(),),
        businesses(),
        current.export_inline_limit_bytes,
        outbound=(WEBHOOKS.prefix, SCHEDULE.prefix),
        charge=_charge_tenant,
    )


def _charge_tenant(identity: Any, requests: int) -> None:
    if (throttle := tenant_throttle()) is not None:
        throttle.admit(identity.tenant_id, requests)


@functools.cache
def _posts() -> Any:
    from chalicelib.repositories.posts import PostStore

    return PostStore(aws_client("dynamodb"), settings().table_name)


@functools.cache
def _media_files() -> Any:
    from chalicelib.repositories.media import MediaFiles

    return MediaFiles(aws_client("s3"), settings().media_bucket)


@functools.cache
def social() -> Any:
    from chalicelib.services.social import SocialService

    return SocialService(_posts(), _media_files(), cursor_codec)


@functools.cache
def media() -> Any:
    from chalicelib.repositories.media import MediaRepository
    from chalicelib.services.media import MediaService

    return MediaService(MediaRepository(aws_client("dynamodb"), settings().table_name), _media_files(), _posts())


@functools.cache
def video_links() -> Any:
    """Signed CloudFront URLs where the stage configures a distribution, else pre-signed S3 GETs.
    The private key is read from Secrets Manager here, once per container."""
    current = settings()
    if not current.video_cdn_enabled:
        return _video_files()
    from chalicelib.repositories.video_cdn import CloudFrontLinks

    secret = aws_client("secretsmanager").get_secret_value(SecretId=current.video_cdn_private_key_secret_arn)
    return CloudFrontLinks(str(current.video_cdn_domain), str(current.video_cdn_key_pair_id), secret["SecretString"])


@functools.cache
def _video_files() -> Any:
    from chalicelib.repositories.videos import VideoFiles

    return VideoFiles(aws_client("s3"), settings().media_bucket)


@functools.cache
def videos() -> Any:
    from chalicelib.repositories.media import MediaRepository
    from chalicelib.repositories.videos import VideoLibrary
    from chalicelib.services.videos import VideoService

    table, dynamodb = settings().table_name, aws_client("dynamodb")
    return VideoService(
        VideoLibrary(dynamodb, table), MediaRepository(dynamodb, table), _video_files(), video_links, cursor_codec
    )


@functools.cache
def video_progress() -> Any:
    from chalicelib.repositories.items import OwnedItems
    from chalicelib.repositories.video_progress import PROGRESS, VideoProgressStore
    from chalicelib.services.video_progress import VideoProgressService

    table, dynamodb = settings().table_name, aws_client("dynamodb")
    return VideoProgressService(
        VideoProgressStore(dynamodb, table), OwnedItems(dynamodb, table, PROGRESS), cursor_codec
    )


@functools.cache
def businesses() -> Any:
    from chalicelib.repositories.businesses import BusinessStore
    from chalicelib.repositories.users import CognitoUsers
    from chalicelib.services.businesses import BusinessService

    current = settings()
    return BusinessService(
        BusinessStore(aws_client("dynamodb"), current.table_name),
        CognitoUsers(aws_client("cognito-idp"), current.user_pool_id, current.app_client_id),
        cursor_codec,
    )


@functools.cache
def assessments() -> Any:
    from chalicelib.repositories.assessments import AssessmentStore
    from chalicelib.services.assessments import AssessmentService

    return AssessmentService(AssessmentStore(aws_client("dynamodb"), settings().table_name), cursor_codec)


@functools.cache
def _sharing_store() -> Any:
    from chalicelib.repositories.sharing import SharingStore

    return SharingStore(aws_client("dynamodb"), settings().table_name)


@functools.cache
def sharing() -> Any:
    from chalicelib.services.sharing import SharingService

    return SharingService(_sharing_store())


@functools.cache
def programs() -> Any:
    from chalicelib.repositories.library_videos import LibraryVideos
    from chalicelib.repositories.programs import ProgramStore
    from chalicelib.services.programs import PROGRAMS, SUBMISSIONS, ProgramService
    from chalicelib.services.workouts import WorkoutService

    dynamodb, table = aws_client("dynamodb"), settings().table_name
    return ProgramService(
        store=ProgramStore(dynamodb, table),
        submissions=_owned(SUBMISSIONS),
        programs=_owned(PROGRAMS),
        assessments=assessments(),
        videos=LibraryVideos(dynamodb, table),
        preferences=preferences(),
        sharing=_sharing_store(),
        build_workout=WorkoutService.build,
        cursors=cursor_codec,
    )


@functools.cache
def webhooks() -> Any:
    from chalicelib.repositories.stream import change_of
    from chalicelib.repositories.webhook_delivery import WebhookDelivery
    from chalicelib.repositories.webhooks import WebhookStore
    from chalicelib.services.webhooks import WebhookService

    current = settings()
    store = WebhookStore(aws_client("dynamodb"), current.table_name)
    # Stage local: plain http to 127.0.0.1 allowed (the end-to-end tests' receiver), nothing else sent.
    delivery = WebhookDelivery(allow_local_http=current.is_local, local_only=current.is_local)
    return WebhookService(store, delivery, webhook_view, change_of)


def webhook_view(kind: str, user_id: str, item: dict[str, Any]) -> dict[str, Any]:
    """An item of a webhook event as the API answers it: the route's own service and schema."""
    from chalicelib.identity import owner_identity
    from chalicelib.schemas.tasks import Task
    from chalicelib.schemas.weights import Weight
    from chalicelib.schemas.workouts import Workout

    services = {"weight": (weights, Weight), "workout": (workouts, Workout), "task": (tasks, Task)}
    service, schema = services[kind]
    return schema().dump(service().view(owner_identity(user_id), item))
