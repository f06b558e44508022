"""ResponseValidationError: every failing path, in the documented format, body kept."""

from __future__ import annotations

import pickle
from datetime import datetime
from typing import Any, Literal, Optional, Union

import attrs
import pytest

from typedresp import Registry, ResponseValidationError, TypedRespError, ValidationErrorItem


@attrs.define
class Owner:
    id: int
    email: Optional[str] = None


@attrs.define
class Item:
    id: int
    created_at: datetime
    owner: Owner
    labels: dict[str, int] = attrs.Factory(dict)


@attrs.define
class Listing:
    object: Literal["list"]
    data: list[Item]


def structure_error(value: Any, tp: Any) -> ResponseValidationError:
    with pytest.raises(ResponseValidationError) as info:
        Registry().structure(value, tp)
    return info.value


def good_item(index: int) -> dict[str, Any]:
    return {"id": index, "created_at": "2024-01-01T00:00:00Z", "owner": {"id": 1}}


def test_the_error_names_the_path_what_was_expected_and_what_came() -> None:
    items = [good_item(i) for i in range(5)]
    items[3]["created_at"] = "yesterday"
    error = structure_error({"object": "list", "data": items}, Listing)
    assert [str(item) for item in error.errors] == [
        "$.data[3].created_at: expected ISO-8601 datetime, got 'yesterday'"
    ]


def test_every_failing_path_is_reported_not_just_the_first() -> None:
    items = [good_item(i) for i in range(3)]
    items[0]["id"] = "0"
    items[1]["owner"] = {"email": 5}
    items[2]["labels"] = {"a b": "x"}
    error = structure_error({"object": "lst", "data": items}, Listing)
    assert [item.path for item in error.errors] == [
        "$.object",
        "$.data[0].id",
        "$.data[1].owner.id",
        "$.data[1].owner.email",
        "$.data[2].labels['a b']",
    ]
    assert error.errors[2].message == "field required"


def test_a_value_of_the_wrong_kind_is_one_error_at_its_path() -> None:
    error = structure_error({"object": "list", "data": [good_item(0), 7]}, Listing)
    assert [str(item) for item in error.errors] == ["$.data[1]: expected object, got 7"]


def test_the_error_keeps_the_decoded_body_and_the_target() -> None:
    body = {"object": "list", "data": "nope"}
    error = structure_error(body, Listing)
    assert error.body is body
    assert error.target is Listing
    assert error.response is None


def test_the_message_lists_the_errors_under_a_count() -> None:
    error = structure_error({"object": "list", "data": [{}]}, Listing)
    text = str(error)
    assert text.splitlines()[0] == "3 validation errors for Listing"
    assert "  $.data[0].id: field required" in text.splitlines()


def test_long_values_are_shortened_in_messages() -> None:
    error = structure_error("x" * 1000, int)
    assert len(error.errors[0].message) < 100
    assert error.errors[0].message.endswith("...")


def test_huge_integers_are_described_without_converting_them() -> None:
    error = structure_error(10**50000, str)
    assert "integer" in error.errors[0].message


def test_it_is_a_value_error_and_a_typedresp_error() -> None:
    error = structure_error("x", int)
    assert isinstance(error, ValueError)
    assert isinstance(error, TypedRespError)


def test_it_survives_pickling_with_its_errors_and_body() -> None:
    error = structure_error({"object": "list", "data": [1]}, Listing)
    copy = pickle.loads(pickle.dumps(error))
    assert copy.errors == error.errors
    assert copy.body == error.body


def test_no_internal_exception_is_chained_when_only_data_was_wrong() -> None:
    error = structure_error("x", int)
    assert error.__cause__ is None
    assert error.__suppress_context__


@attrs.define
class Chain:
    child: Optional[Chain] = None


def test_data_nested_deeper_than_the_stack_is_an_error_not_a_crash() -> None:
    value: Any = None
    for _ in range(5000):
        value = {"child": value}
    try:
        result = Registry().structure(value, Chain)
    except ResponseValidationError as error:
        assert error.errors[0].message == "nested too deeply to structure"
    else:
        depth = 0
        while result.child is not None:
            result, depth = result.child, depth + 1
        assert depth == 4999


def test_item_string_form() -> None:
    assert str(ValidationErrorItem("$.a", "field required")) == "$.a: field required"


def test_items_are_equal_by_path_and_message_not_by_their_exception() -> None:
    item = ValidationErrorItem("$.a", "field required", exception=KeyError("a"))
    same = ValidationErrorItem(path="$.a", message="field required")
    assert item == same
    assert hash(item) == hash(same)
    assert item != ValidationErrorItem("$.b", "field required")
    assert item != ("$.a", "field required")
    assert repr(item) == "ValidationErrorItem(path='$.a', message='field required')"


def test_an_item_cannot_be_changed() -> None:
    item = ValidationErrorItem("$.a", "field required")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        item.path = "$.b"
    with pytest.raises(AttributeError):
        del item.message
    assert item.path == "$.a"


def test_an_item_survives_pickling_with_its_exception_and_matches_by_position() -> None:
    copy = pickle.loads(pickle.dumps(ValidationErrorItem("$.a", "bad", ValueError("x"))))
    assert copy == ValidationErrorItem("$.a", "bad")
    assert repr(copy.exception) == "ValueError('x')"
    match copy:
        case ValidationErrorItem(path, message):
            assert (path, message) == ("$.a", "bad")
        case _:
            pytest.fail("no match")


def test_the_message_reflects_the_target_set_after_raising() -> None:
    error = ResponseValidationError([ValidationErrorItem("$", "expected int, got 'x'")])
    assert str(error).splitlines()[0] == "1 validation error"
    error.target = list[Owner]
    assert str(error).splitlines()[0] == "1 validation error for list[Owner]"


@attrs.define
class Named:
    id: int


def test_the_header_and_the_entries_of_an_error_name_types_alike() -> None:
    with pytest.raises(ResponseValidationError) as caught:
        Registry().structure("x", Optional[Union[int, list[Named]]])
    assert str(caught.value) == (
        "1 validation error for int | list[Named] | None\n"
        "  $: expected int | list[Named] | None, got 'x'"
    )
