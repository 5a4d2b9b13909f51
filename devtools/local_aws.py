"""The embedded local AWS: moto's server on 127.0.0.1, provisioned from infra/ like a deploy."""

from __future__ import annotations

import copy
import json
import secrets
import socket
import threading
from collections import deque
from email.utils import parseaddr
from typing import Any

import boto3
from moto.core.model_instances import model_data
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

from devtools.infra import render, stage_environment
from devtools.local_cognito import StrictCognito, limit_token_lifetimes
from devtools.local_cognito_email import case_insensitive, pool_name
from devtools.local_guard import LocalOnly
from devtools.local_wire import InProcess

REGION = "us-east-1"
# moto accepts any credentials; these only keep boto3 from looking for real ones.
LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "stride-local", "AWS_SECRET_ACCESS_KEY": "stride-local"}
_POOL_PROPERTIES = (
    "Policies",
    "AutoVerifiedAttributes",
    "UsernameAttributes",
    "UsernameConfiguration",
    "MfaConfiguration",
    "AccountRecoverySetting",
    "AdminCreateUserConfig",
    "VerificationMessageTemplate",
    "UserAttributeUpdateSettings",
    "Schema",
)
_CLIENT_PROPERTIES = (
    "ClientName",
    "GenerateSecret",
    "ExplicitAuthFlows",
    "PreventUserExistenceErrors",
    "EnableTokenRevocation",
    "AccessTokenValidity",
    "IdTokenValidity",
    "RefreshTokenValidity",
    "TokenValidityUnits",
    "ReadAttributes",
    "WriteAttributes",
)
_TABLE_PROPERTIES = (
    "TableName",
    "BillingMode",
    "AttributeDefinitions",
    "KeySchema",
    "LocalSecondaryIndexes",
    "GlobalSecondaryIndexes",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_free(port: int) -> bool:
    """As a server would bind it (SO_REUSEADDR): a port in TIME_WAIT counts as free."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def ensure_port_free(port: int, what: str) -> None:
    if not port_is_free(port):
        raise SystemExit(f"port {port} for {what} is in use: stop what holds it, or choose another port")


class _OneAtATime:
    """moto checks a condition and writes in two steps, and copies the table for a transaction:
    two requests at once can both pass a check. DynamoDB makes each request atomic; serving one
    request at a time does the same here, so concurrency tests mean what they would on AWS."""

    def __init__(self, app: Any):
        self._app = app
        self.lock = threading.Lock()

    def __call__(self, environ: Any, start_response: Any) -> list[bytes]:
        with self.lock:
            try:
                return list(self._app(environ, start_response))
            finally:
                _forget_dynamodb_instances()
                _forget_old_shard_iterators()


def _forget_dynamodb_instances() -> None:
    """moto records every model object it makes (for its dashboard), and a transaction deep-copies
    the whole table: kept, those copies grew a test run to 24 GB. The live tables are the
    backend's, not these lists', so emptying them loses nothing."""
    for model in model_data["dynamodb"].values():
        model.instances_tracked.clear()  # type: ignore[attr-defined]


# The stream pump (devtools/local_events.py) asks for records twice a second, and moto keeps every
# shard iterator it ever handed out; only the latest few can still be used.
KEPT_SHARD_ITERATORS = 64


def _forget_old_shard_iterators() -> None:
    from moto.dynamodbstreams.models import dynamodbstreams_backends

    for regions in dynamodbstreams_backends.values():
        for backend in regions.values():
            iterators = backend.shard_iterators
            for arn in list(iterators)[: max(0, len(iterators) - KEPT_SHARD_ITERATORS)]:
                iterators.pop(arn, None)


def _look_up_what_never_changes_once() -> None:
    """moto lists its own package directory (150 stat calls) to route every request, and lists a
    handler class's methods to dispatch each one: a tenth of a call's time, for answers that are
    the same every time."""
    import functools

    from moto import backends
    from moto.core import responses

    modules = frozenset(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules  # type: ignore[assignment]
    responses.method_names_from_class = functools.cache(responses.method_names_from_class)  # type: ignore[assignment]


def _answer_attribute_values_as_kept() -> None:
    """moto keeps an item's attribute values in DynamoDB's own JSON form, then walks each one
    through the service model to write it again unchanged: a Query of 1,000 items took a second.
    A value in that form is written as it is."""
    from moto.core.serialize import BaseJSONSerializer

    walk = BaseJSONSerializer._serialize

    def serialize(serializer: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
        if shape.name == "AttributeValue" and _in_wire_form(value):
            serializer._default_serialize(serialized, value, shape, key)
        else:
            walk(serializer, serialized, value, shape, key)

    BaseJSONSerializer._serialize = serialize  # type: ignore[method-assign]


def _in_wire_form(value: Any) -> bool:
    """Text, numbers, booleans and what nests them; binary values (kept as bytes) take moto's way."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    ((kind, inner),) = value.items()
    if kind in ("S", "N"):
        return isinstance(inner, str)
    if kind in ("BOOL", "NULL"):
        return isinstance(inner, bool)
    if kind in ("SS", "NS"):
        return isinstance(inner, list) and all(isinstance(member, str) for member in inner)
    if kind == "M":
        return isinstance(inner, dict) and all(_in_wire_form(member) for member in inner.values())
    if kind == "L":
        return isinstance(inner, list) and all(_in_wire_form(member) for member in inner)
    return False


def _back_up_only_what_a_transaction_names() -> None:
    """moto backs up every table a transaction names with a deep copy of the whole table, and
    puts the copy back on cancellation: each transaction cost time in the size of the table (most
    of the test suite's time went into those copies). This keeps moto's own transaction code but
    backs up only the items the transaction names, and on cancellation restores them and drops the
    stream records the cancelled writes added: the same outcome, at the cost of the items."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    moto_transaction = DynamoDBBackend.transact_write_items
    if getattr(moto_transaction, "backs_up_items", False):
        return

    def transact_write_items(backend: Any, transact_items: list[dict[str, Any]]) -> None:
        try:
            backup = _named_items(backend, transact_items, DynamoType)
        except (KeyError, TypeError, ValueError, AttributeError, StopIteration):
            return moto_transaction(backend, transact_items)  # malformed: moto answers it, as it would
        streams = {id(table): (table, len(table.stream_shard.items)) for table, *_ in backup if table.stream_shard}
        Table.__deepcopy__ = lambda table, memo: table  # moto's whole-table backup: ours stands in
        try:
            return moto_transaction(backend, transact_items)
        except Exception:
            for table, hash_value, range_value, item in reversed(backup):
                _put_back(table, hash_value, range_value, item)
            for table, length in streams.values():
                del table.stream_shard.items[length:]
            raise
        finally:
            del Table.__deepcopy__

    transact_write_items.backs_up_items = True  # type: ignore[attr-defined]
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


def _query_a_partition_not_the_table() -> None:
    """moto answers every Query by sorting every item of the table (then keeping one partition's),
    so a query cost time in the size of the table, and a long test session's queries got slower
    and slower. A query of the table or of a local index now starts from its partition's items;
    one of a global index from every item, unsorted (moto sorts what matches by the index's
    keys and the table's afterwards, a complete order). What moto does next is its own code.
    The candidates stand in for the table's items during one call: safe because the server
    answers one request at a time (_OneAtATime)."""
    import inspect

    from moto.dynamodb.models.table import Table

    moto_query = Table.query
    if getattr(moto_query, "reads_one_partition", False):
        return
    signature = inspect.signature(moto_query)

    def query(table: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = signature.bind(table, hash_key, *args, **kwargs).arguments.get("index_name")
        local = index_name is None or any(index.name == index_name for index in table.indexes)
        if local and hash_key is not None and table.range_key_attr:
            candidates = list(table.items.get(hash_key, {}).values())
        else:
            candidates = [item for partition in table.items.values() for item in _items_of(table, partition)]
        table.all_items = lambda: candidates
        try:
            return moto_query(table, hash_key, *args, **kwargs)
        finally:
            del table.all_items

    query.reads_one_partition = True  # type: ignore[attr-defined]
    Table.query = query


def _items_of(table: Any, partition: Any) -> list[Any]:
    return list(partition.values()) if table.range_key_attr else [partition]


def _find_users_by_name_once() -> None:
    """moto finds a user by e-mail by flattening the attributes of every user of the pool, for
    every call: a suite that signs up thousands made each sign-in slower than the last. Remembers
    which user a name found (checked again on each use, so a changed e-mail is found afresh)."""
    from moto.cognitoidp.models import CognitoIdpUserPool
    from moto.cognitoidp.utils import flatten_attrs

    moto_get_user = CognitoIdpUserPool._get_user
    if getattr(moto_get_user, "remembers", False):
        return

    def get_user(pool: Any, username: str) -> Any:
        found = pool.__dict__.setdefault("_users_by_name", {})
        user = found.get(username)
        if user is not None and pool.users.get(user.username) is user:
            attributes = flatten_attrs(user.attributes)
            names = {attributes.get(kind) for kind in pool.extended_config.get("UsernameAttributes") or ()}
            if username == user.username or pool_name(pool, username) in {pool_name(pool, name) for name in names}:
                return user
        user = moto_get_user(pool, username)
        if user is not None:
            found[username] = user
        return user

    get_user.remembers = True  # type: ignore[attr-defined]
    CognitoIdpUserPool._get_user = get_user  # type: ignore[method-assign]


def _compare_names_as_the_pool_does() -> None:
    """moto compares user names and e-mail aliases exactly; a pool whose UsernameConfiguration is
    not CaseSensitive (Stride's) finds `BOB@example.com` and `bob@example.com` as one person: a
    sign-up, an alias update or a sign-in with another case names the same user. The users its
    tokens name are found the same way, and so is the user a sign-out names (moto compares the
    name a token was issued under with the one given)."""
    from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUserPool

    moto_get_user = CognitoIdpUserPool._get_user
    if getattr(moto_get_user, "compares_as_the_pool", False):
        return

    def get_user(pool: Any, username: str) -> Any:
        if case_insensitive(pool) and isinstance(username, str):
            return _user_named_in_any_case(pool, username)
        return moto_get_user(pool, username)

    get_user.compares_as_the_pool = True  # type: ignore[attr-defined]
    CognitoIdpUserPool._get_user = get_user  # type: ignore[method-assign]
    CognitoIdpUserPool.sign_out = _sign_out  # type: ignore[method-assign]
    CognitoIdpBackend._verify_email_is_not_used = _verify_email_is_not_used  # type: ignore[method-assign]


def _user_named_in_any_case(pool: Any, username: str) -> Any:
    """The user `username` names, its case aside: found in the index of names (moto's own lookup,
    a pass over the whole pool, made each sign-up of a long run slower than the last)."""
    user = pool.users.get(username)
    if user is not None:
        return user
    wanted = username.lower()
    candidate = _NAMES.find(pool.id, wanted)
    if candidate is None or pool.users.get(candidate.username) is not candidate:
        return None
    kinds = tuple(pool.extended_config.get("UsernameAttributes") or ())
    names = {candidate.username} | {candidate.attribute_lookup.get(kind) or "" for kind in kinds}
    return candidate if wanted in {name.lower() for name in names} else None


_ALIASES = ("email", "phone_number")  # what a pool's UsernameAttributes can name


class _NameIndex:
    """Lower-cased user names and aliases to the user last given them, kept as moto sets a user's
    attributes (each change is a new `attribute_lookup`: a property here notes who changed). An
    entry may be stale (the user deleted or renamed since): the finder checks what it found."""

    def __init__(self) -> None:
        self._by_pool: dict[str, dict[str, Any]] = {}
        self._changed: deque[Any] = deque()
        self._lock = threading.Lock()

    def watch(self) -> None:
        from moto.cognitoidp.models import CognitoIdpUser

        if isinstance(CognitoIdpUser.__dict__.get("attribute_lookup"), property):
            return

        def read(user: Any) -> dict[str, str]:
            return user.__dict__["attribute_lookup"]  # type: ignore[no-any-return]

        def write(user: Any, lookup: dict[str, str]) -> None:
            user.__dict__["attribute_lookup"] = lookup
            self._changed.append(user)

        CognitoIdpUser.attribute_lookup = property(read, write)  # type: ignore[attr-defined]

    def find(self, pool_id: str, wanted: str) -> Any:
        with self._lock:
            while self._changed:
                user = self._changed.popleft()
                names = self._by_pool.setdefault(user.user_pool_id, {})
                for name in (user.username, *(user.attribute_lookup.get(kind) for kind in _ALIASES)):
                    if name:
                        names[name.lower()] = user
            return self._by_pool.get(pool_id, {}).get(wanted)


_NAMES = _NameIndex()


def _verify_email_is_not_used(backend: Any, user_pool_id: str, email: str | None) -> None:
    from moto.cognitoidp.exceptions import AliasExistsException

    pool = backend.describe_user_pool(user_pool_id)
    if not email or "email" not in (pool.extended_config.get("UsernameAttributes") or ()):
        return
    wanted = pool_name(pool, email)
    if any(pool_name(pool, user.attribute_lookup.get("email", "")) == wanted for user in pool.users.values()):
        raise AliasExistsException


def _sign_out(pool: Any, username: str) -> None:
    """Every token of the user `username` names, whatever name each was issued under."""
    target = pool._get_user(username)
    if target is None:
        return
    for token, owner in list(pool.refresh_tokens.items()):
        if owner is not None and pool._get_user(owner[1]) is target:
            pool.refresh_tokens[token] = None
    for token, (_, name) in list(pool.access_tokens.items()):
        if pool._get_user(name) is target:
            pool.access_tokens.pop(token)


def _named_items(backend: Any, transact_items: list[dict[str, Any]], dynamo_type: Any) -> list[tuple[Any, ...]]:
    backup = []
    for entry in transact_items:
        operation = next(iter(entry.values()))
        table = backend.tables.get(operation.get("TableName"))
        if table is None:
            continue
        attributes = operation.get("Key") or operation["Item"]
        hash_value = dynamo_type(attributes[table.hash_key_attr])
        range_value = dynamo_type(attributes[table.range_key_attr]) if table.range_key_attr else None
        backup.append((table, hash_value, range_value, copy.deepcopy(table.get_item(hash_value, range_value))))
    return backup


def _put_back(table: Any, hash_value: Any, range_value: Any, item: Any) -> None:
    """The item as it was (or no item), without a stream record: moto's own rollback writes none."""
    if range_value is None:
        if item is None:
            table.items.pop(hash_value, None)
        else:
            table.items[hash_value] = item
    elif item is None:
        table.items[hash_value].pop(range_value, None)
    else:
        table.items[hash_value][range_value] = item


class SerializedMotoServer(ThreadedMotoServer):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        one_at_a_time = _OneAtATime(DomainDispatcherApplication(create_backend_app))
        # Cognito's gaps in moto are closed in front of it (devtools/local_cognito.py).
        self.cognito = StrictCognito(one_at_a_time, one_at_a_time.lock, REGION)
        # Only the stack and the local web app's pages reach any of it (devtools/local_guard.py).
        self.guard = LocalOnly(self.cognito)

    def _server_entry(self) -> None:  # moto offers no hook for the WSGI app; this is its own code, wrapped
        _look_up_what_never_changes_once()
        _answer_attribute_values_as_kept()
        _back_up_only_what_a_transaction_names()
        _query_a_partition_not_the_table()
        _NAMES.watch()
        _compare_names_as_the_pool_does()
        _find_users_by_name_once()  # over the comparison above: it remembers what that found
        app = self.guard
        self._server = make_server(self._ip_address, self._port, app, True, request_handler=MotoRequestHandler)
        self._server_ready_event.set()
        self._server.serve_forever()


class LocalAws:
    def __init__(self, port: int):
        self.port = port
        self.endpoint = f"http://127.0.0.1:{port}"
        self._server = SerializedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self._clients: dict[str, Any] = {}
        self.queue_urls: dict[str, str] = {}
        self._in_process: InProcess | None = None

    @property
    def cognito(self) -> StrictCognito:
        return self._server.cognito

    def start(self) -> None:
        self._server.start()

    def run_triggers(self, app: Any, environment: dict[str, str]) -> None:
        """Runs the app's Cognito trigger as the deployed pool does (moto runs none)."""
        from devtools.local_events import LocalInvoker

        invoker = LocalInvoker(app, environment)
        self.cognito.invoke = invoker.invoke
        # What Cognito records in CloudTrail goes to the app's EventBridge rules (sign-in notices).
        self.cognito.cloudtrail = invoker.event_bridge

    def stop(self) -> None:
        self._server.stop()

    def serve_in_process(self, events: Any) -> None:
        """The calls of clients made from `events`' session, and this object's own, reach the local
        AWS without the wire (devtools/local_wire.py); what comes over HTTP is served as before."""
        self._in_process = InProcess(self._server.guard, self.endpoint)
        self._in_process.register(events)
        for client in self._clients.values():
            self._in_process.take_the_wire_of(client)

    def last_stream_record(self, table_name: str) -> str | None:
        """The sequence number of the newest record in the table's stream, or None, read from moto
        itself: through the API it takes reading (and moto serialising) the whole stream."""
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.dynamodb.models import dynamodb_backends

        shard = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION].get_table(table_name).stream_shard
        return shard.items[-1].record["dynamodb"]["SequenceNumber"] if shard and shard.items else None

    def client(self, service: str) -> Any:
        """One client a service, reused (a client is thread-safe; making one costs milliseconds)."""
        if service not in self._clients:
            self._clients[service] = self._new_client(service)
        return self._clients[service]

    def _new_client(self, service: str) -> Any:
        client = boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )
        if self._in_process is not None:
            self._in_process.take_the_wire_of(client)
        return client

    def _create_table(self, table_props: dict[str, Any]) -> None:
        dynamodb = self.client("dynamodb")
        properties = {key: table_props[key] for key in _TABLE_PROPERTIES if key in table_props}
        # CloudFormation's StreamSpecification has only the view type; the API also wants the switch.
        stream = table_props.get("StreamSpecification")
        if stream:
            properties["StreamSpecification"] = {"StreamEnabled": True, **stream}
        dynamodb.create_table(**properties)
        ttl = table_props["TimeToLiveSpecification"]
        dynamodb.update_time_to_live(
            TableName=table_props["TableName"],
            TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": ttl["Enabled"]},
        )

    def empty_table(self, stage: str = "local") -> None:
        """The table again, empty (for a test suite: moto copies the whole table for every
        transaction, so a table that only grows makes a long run quadratic)."""
        table_props = render(stage)["Resources"]["Table"]["Properties"]
        self.client("dynamodb").delete_table(TableName=table_props["TableName"])
        self._create_table(table_props)

    def provision(self, stage: str = "local", web_origin: str | None = None) -> dict[str, str]:
        """Creates the pool, app client, table and bucket; returns the environment the app needs.
        `web_origin`: the web app's origin when it is served on a port of its own (the bucket's
        CORS lets it upload, as the template lets the stage's FrontendOrigin)."""
        resources = render(stage)["Resources"]
        environment = stage_environment(stage)
        # The one origin whose pages may call the local AWS (Amplify, uploads), as the API's CORS.
        self._server.guard.allowed_origins = frozenset({web_origin or environment["FRONTEND_ORIGIN"]})
        pool_props = resources["UserPool"]["Properties"]
        cognito = self.client("cognito-idp")
        pool_id = cognito.create_user_pool(
            PoolName=pool_props["UserPoolName"], **{key: pool_props[key] for key in _POOL_PROPERTIES}
        )["UserPool"]["Id"]
        client_props = resources["UserPoolClient"]["Properties"]
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id, **{key: client_props[key] for key in _CLIENT_PROPERTIES if key in client_props}
        )["UserPoolClient"]["ClientId"]
        limit_token_lifetimes(REGION, pool_id, client_id, client_props)

        self._create_table(resources["Table"]["Properties"])

        bucket_props = resources["MediaBucket"]["Properties"]
        s3 = self.client("s3")
        bucket = environment["MEDIA_BUCKET"]
        s3.create_bucket(Bucket=bucket)
        s3.put_public_access_block(
            Bucket=bucket, PublicAccessBlockConfiguration=bucket_props["PublicAccessBlockConfiguration"]
        )
        s3.put_bucket_cors(
            Bucket=bucket,
            CORSConfiguration={
                "CORSRules": [
                    {
                        **{k: v for k, v in rule.items() if k != "MaxAge"},
                        **({"AllowedOrigins": [web_origin]} if web_origin else {}),
                        "MaxAgeSeconds": rule["MaxAge"],
                    }
                    for rule in bucket_props["CorsConfiguration"]["CorsRules"]
                ]
            },
        )
        self.queue_urls = self._create_queues(resources)
        environment_of_api = resources["APIHandler"]["Properties"]["Environment"]["Variables"]
        queues = {
            name: self.queue_urls[value["Ref"]]
            for name, value in environment_of_api.items()
            if isinstance(value, dict) and value.get("Ref") in self.queue_urls
        }
        # SES sends only from a verified identity; in AWS the template creates it (infra/).
        self.client("ses").verify_email_identity(EmailAddress=parseaddr(environment["EMAIL_SENDER"])[1])
        # Every send names the stage's configuration set (infra/ creates it deployed).
        ses, configuration_set = self.client("ses"), environment["SES_CONFIGURATION_SET"]
        if configuration_set not in [c["Name"] for c in ses.list_configuration_sets().get("ConfigurationSets", [])]:
            ses.create_configuration_set(ConfigurationSet={"Name": configuration_set})
        return {
            **LOCAL_CREDENTIALS,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL": self.endpoint,
            "USER_POOL_ID": pool_id,
            "APP_CLIENT_IDS": client_id,
            "JWKS_URL": f"{self.endpoint}/{pool_id}/.well-known/jwks.json",
            # A new signing key per run: cursors from an earlier run are refused, as after a rotation.
            "CURSOR_KEY": secrets.token_hex(32),
            "AWS_READ_TIMEOUT_SECONDS": "60",
            # The queues the app sends to (JOBS_QUEUE_URL), as the template's Ref gives them.
            **queues,
        }

    def _create_queues(self, resources: dict[str, Any]) -> dict[str, str]:
        """Every SQS queue of the template, a dead-letter queue before the queue that names it;
        returns their URLs by logical name."""
        sqs = self.client("sqs")
        queues = {name: r["Properties"] for name, r in resources.items() if r.get("Type") == "AWS::SQS::Queue"}
        urls: dict[str, str] = {}
        arns: dict[str, str] = {}
        pending = dict(queues)
        while pending:
            for name, props in list(pending.items()):
                redrive = props.get("RedrivePolicy")
                target = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0] if redrive else None
                if target is not None and target not in arns:
                    continue
                attributes = {
                    key: str(props[key]) for key in ("VisibilityTimeout", "MessageRetentionPeriod") if key in props
                }
                if redrive:
                    attributes["RedrivePolicy"] = json.dumps(
                        {"deadLetterTargetArn": arns[target], "maxReceiveCount": redrive["maxReceiveCount"]}
                    )
                url = sqs.create_queue(QueueName=props["QueueName"], Attributes=attributes)["QueueUrl"]
                urls[name] = url
                arns[name] = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
                    "QueueArn"
                ]
                del pending[name]
        return urls
