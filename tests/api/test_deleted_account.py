"""No write after deletion: every write route of the route table, sent with the token of an
account that `DELETE /me` erased, answers 401 `account_deleted` and leaves the erased
partition empty.

The walk is generated from the route table, so a write route added later is walked too."""

import pytest

from chalicelib.domains import routers
from chalicelib.repositories.dynamo import home_partition
from tests.businesses import join, refresh
from tests.catalog import CATALOG
from tests.conftest import LOCAL_TABLE

SPECS = {(spec.method, spec.path): spec for router in routers() for spec, _ in router.routes}
# DELETE /me itself stays callable: a retry completes an erasure a failure interrupted.
WRITES = sorted(
    route for route, spec in SPECS.items() if spec.method != "GET" and not spec.public and route != ("DELETE", "/me")
)


def _partition(local_aws, user_id):
    answer = local_aws.client("dynamodb").query(
        TableName=LOCAL_TABLE,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": home_partition(user_id)}},
        ConsistentRead=True,
    )
    return [item["SK"]["S"] for item in answer["Items"]]


def test_the_walk_covers_every_write_route():
    assert WRITES and set(WRITES) <= set(CATALOG)


def _delete_account(api, users, user, background):
    answer = api.request("DELETE", "/me", token=user.token)
    if answer.status == 409 and answer.body["error"]["code"] == "last_admin":
        # The business keeps an admin: another one first, then the account goes.
        join(api, users, user, refresh(api, user)["tenant_id"], role="admin")
        answer = api.request("DELETE", "/me", token=user.token)
    assert answer.status == 202, answer.body
    background.drain()


@pytest.mark.parametrize("route", WRITES, ids=lambda route: f"{route[0]} {route[1]}")
def test_a_deleted_accounts_token_writes_nothing(api, users, user, local_aws, background, route):
    request = CATALOG[route](api, users, user)
    _delete_account(api, users, user, background)
    assert _partition(local_aws, user.user_id) == []

    answer = request.send(api, user.token)

    assert answer.status == 401, (answer.status, answer.body)
    assert answer.body["error"]["code"] == "account_deleted"
    assert _partition(local_aws, user.user_id) == []


def test_deleting_again_with_the_old_token_writes_nothing(api, users, user, local_aws, background):
    _delete_account(api, users, user, background)
    assert api.request("DELETE", "/me", token=user.token).status == 202
    background.drain()
    assert _partition(local_aws, user.user_id) == []
