"""The local AWS answers attribute values of every DynamoDB type as they were written: moto's own
serializer, or the shortcut for values already in DynamoDB's JSON form (devtools/local_aws.py)."""

from __future__ import annotations

from typing import Any

ITEM = {
    "PK": {"S": "VALUES#1"},
    "SK": {"S": "ITEM"},
    "text": {"S": 'é \\u0000 "quoted"'},
    "number": {"N": "-1.5E+3"},
    "blob": {"B": b"\x00\x01\xff"},
    "flag": {"BOOL": False},
    "nothing": {"NULL": True},
    "texts": {"SS": ["a", "b"]},
    "numbers": {"NS": ["1", "2.5"]},
    "blobs": {"BS": [b"\x02", b"\x03"]},
    "nested": {"M": {"list": {"L": [{"B": b"\x04"}, {"S": "x"}, {"M": {}}, {"L": []}]}, "n": {"N": "7"}}},
}


def test_every_attribute_type_comes_back_as_written(local_aws: Any) -> None:
    from tests.conftest import LOCAL_TABLE

    dynamodb = local_aws.client("dynamodb")
    dynamodb.put_item(TableName=LOCAL_TABLE, Item=ITEM)
    read = dynamodb.get_item(TableName=LOCAL_TABLE, Key={"PK": ITEM["PK"], "SK": ITEM["SK"]}, ConsistentRead=True)
    queried = dynamodb.query(
        TableName=LOCAL_TABLE, KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": ITEM["PK"]}
    )
    dynamodb.delete_item(TableName=LOCAL_TABLE, Key={"PK": ITEM["PK"], "SK": ITEM["SK"]})

    assert read["Item"] == ITEM
    assert queried["Items"] == [ITEM]
